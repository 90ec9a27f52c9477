using DocExtract.Api.Audit;
using DocExtract.Api.Security;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using DocExtract.Schemas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Documents;

/// <summary>
/// A document's extraction runs (#6): re-extract without uploading again, list the runs newest first, and read the
/// result of any one of them. GET /documents/{id}/result stays the current (newest) run's.
/// </summary>
public static class ExtractionsApi
{
    public static IEndpointRouteBuilder MapExtractionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/documents/{id:guid}/extractions").WithTags("Documents");
        group.MapPost("/", RequestAsync).DisableAntiforgery().RequireAuthorization(Policies.Reextract);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{extractionId:guid}", GetResultAsync).RequireAuthorization(Policies.Read);
        return app;
    }

    public static async Task<Results<Accepted<ExtractionResponse>, ProblemHttpResult>> RequestAsync(
        Guid id, ExtractionRequest? body, Caller caller, DocumentTypeCatalog types, Reextraction reextraction,
        TenantLimits limits, IOptions<OcrLanguageOptions> ocr, PasswordSealing sealing, CancellationToken cancellationToken)
    {
        var schema = string.IsNullOrWhiteSpace(body?.Schema) ? DocumentTypeName.Auto : body.Schema.Trim().ToLowerInvariant();
        var version = string.IsNullOrWhiteSpace(body?.Version) ? null : body.Version.Trim().ToLowerInvariant();
        var tenant = caller.TenantId;
        if (schema == DocumentTypeName.Auto)
        {
            if (version is not null)
            {
                return Problems.BadRequest("'auto' has no version: name a document type to pin its version, or leave the version out");
            }
        }
        else if (await UploadReader.UnknownTypeAsync(types, tenant, schema, version, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        // Neither is kept with the document (#14): a scan's languages default to the tenant's, a password comes again.
        var (language, languageProblem) = ocr.Value.Check(body?.Language ?? limits.For(tenant).OcrLanguages);
        if (languageProblem is not null)
        {
            return Problems.BadRequest(languageProblem);
        }
        var (sealedPassword, passwordProblem) = UploadReader.SealPassword(sealing, body?.Password, tenant);
        if (passwordProblem is not null)
        {
            return Problems.BadRequest(passwordProblem);
        }

        var result = await reextraction.RequestAsync(id, schema, version, caller, cancellationToken, language, sealedPassword);
        return result.Outcome switch
        {
            ReextractionOutcome.Accepted => TypedResults.Accepted(Link(id, result.Extraction!.Id), ExtractionResponse.From(result.Extraction)),
            ReextractionOutcome.DocumentNotFound => Problems.DocumentNotFound(id),
            ReextractionOutcome.OriginalDeleted => Problems.Gone(
                $"the original of document {id} was deleted by the retention policy, so it cannot be extracted again; upload it again"),
            _ => Problems.Conflict($"another extraction of document {id} was requested at the same moment; list its extractions, then retry if needed"),
        };
    }

    public static async Task<Results<Ok<ExtractionList>, ProblemHttpResult>> ListAsync(
        Guid id, Caller caller, DocExtractDbContext db, CancellationToken cancellationToken)
    {
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Record, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }
        var runs = await db.Extractions.AsNoTracking().Where(e => e.DocumentId == id)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ExtractionList([.. runs.Select(ExtractionResponse.From)]));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetResultAsync(
        Guid id, Guid extractionId, Caller caller, DocExtractDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Results, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }
        var run = await db.Extractions.AsNoTracking().FirstOrDefaultAsync(e => e.Id == extractionId && e.DocumentId == id, cancellationToken);
        if (run is null)
        {
            return TypedResults.Problem(detail: $"document {id} has no extraction {extractionId}; GET /documents/{id}/extractions lists them",
                statusCode: StatusCodes.Status404NotFound, title: "Extraction not found");
        }
        if (!run.Status.HasResult())
        {
            var why = run.Status == DocumentStatus.Failed ? $": {run.FailureReason}" : "; try again later";
            return Problems.Conflict($"extraction {extractionId} has no result: it is {run.Status.ToWire()}{why}");
        }

        // The stored jsonb is returned as it is, as GET /documents/{id}/result does.
        var json = await db.ReadResultJsonAsync(extractionId, cancellationToken);
        if (json is null)
        {
            return Problems.Conflict($"extraction {extractionId} is marked succeeded but its result is missing; re-extract the document");
        }
        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.ReadResult, id, new { extractionId }), cancellationToken);
        return TypedResults.Content(json, "application/json");
    }

    public static string Link(Guid documentId, Guid extractionId) => $"/documents/{documentId}/extractions/{extractionId}";
}

/// <summary>The body of POST /documents/{id}/extractions: a type name or <c>auto</c> (the default), and optionally its version.</summary>
/// <summary>What a re-extraction asks for: a type (and version), and for a scan or a protected PDF its OCR languages
/// and password, which are not kept from the upload (#14).</summary>
public sealed record ExtractionRequest(string? Schema, string? Version, string? Language = null, string? Password = null)
{
    public override string ToString() => $"ExtractionRequest {{ Schema = {Schema}, Version = {Version}, Language = {Language}, Password = {(Password is null ? "none" : "given")} }}";
}

public sealed record ExtractionResponse(
    Guid Id, Guid DocumentId, string RequestedSchema, string? RequestedVersion, string? Schema, string? Version,
    string Status, string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string Link)
{
    /// <summary>The model tier working on it, or that made its result (#12): above 0 once the cascade passed it on.</summary>
    public int Tier { get; init; }

    public static ExtractionResponse From(Extraction e) => new(
        e.Id, e.DocumentId, e.RequestedSchema, e.RequestedVersion, e.SchemaName, e.SchemaVersion ?? e.RequestedVersion,
        e.Status.ToWire(), e.FailureReason, e.CreatedAt, e.CompletedAt, ExtractionsApi.Link(e.DocumentId, e.Id)) { Tier = e.Tier };
}

public sealed record ExtractionList(IReadOnlyList<ExtractionResponse> Items);
