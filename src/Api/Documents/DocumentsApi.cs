using DocExtract.Api.Audit;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Documents;

public static class DocumentsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string DefaultSchema = DocExtract.Schemas.DocumentTypeName.Auto;

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/documents").WithTags("Documents");
        group.MapPost("/", UploadAsync).DisableAntiforgery()
            .RequireAuthorization(Policies.Submit).RequireRateLimiting(TenantLimits.UploadPolicy);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDocument").RequireAuthorization(Policies.Read);
        group.MapGet("/{id:guid}/result", GetResultAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{id:guid}/file", GetFileAsync).RequireAuthorization(Policies.Read);
        group.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.Admin);
        return app;
    }

    public static async Task<Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, Caller caller, DocumentIntake intake, UploadReader reader, CancellationToken cancellationToken)
    {
        var read = await reader.ReadAsync(request, caller, cancellationToken);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var result = await intake.AcceptAsync(read.Upload!, cancellationToken);
        var body = DocumentResponse.From(result.Document);
        return result.Outcome switch
        {
            IntakeOutcome.Accepted => TypedResults.Accepted(body.Links.Self, body),
            IntakeOutcome.Replayed => TypedResults.Ok(body),
            _ => Problems.Conflict(
                $"the Idempotency-Key was already used for document {body.Id} with a different file; use a new key for a new upload"),
        };
    }

    public static async Task<Results<Ok<DocumentPage>, ProblemHttpResult>> ListAsync(
        Caller caller, DocExtractDbContext db, IOptions<ApiOptions> options, CancellationToken cancellationToken,
        string? status = null, int page = 1, int pageSize = 50)
    {
        var query = db.Documents.AsNoTracking().Visible(caller);
        if (status is not null)
        {
            if (!DocumentStatusNames.TryParse(status, out var wanted))
            {
                var known = string.Join(", ", Enum.GetValues<DocumentStatus>().Select(s => s.ToWire()));
                return Problems.BadRequest($"unknown status '{status}': use one of {known}");
            }
            query = query.Where(d => d.Status == wanted);
        }
        if (pageSize < 1 || pageSize > options.Value.MaxPageSize)
        {
            return Problems.BadRequest($"pageSize must be between 1 and {options.Value.MaxPageSize}");
        }
        // The offset is computed in long: page 2147483647 must not wrap into a negative OFFSET (issue #15).
        var lastPage = int.MaxValue / pageSize;
        if (page < 1 || page > lastPage)
        {
            return Problems.BadRequest($"page must be between 1 and {lastPage} (with pageSize {pageSize})");
        }

        var total = await query.LongCountAsync(cancellationToken);
        var offset = checked((int)((page - 1L) * pageSize));
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Skip(offset).Take(pageSize).ToListAsync(cancellationToken);
        var next = (long)page * pageSize < total
            ? $"/documents?{(status is null ? "" : $"status={status}&")}page={page + 1}&pageSize={pageSize}"
            : null;
        return TypedResults.Ok(new DocumentPage([.. items.Select(DocumentResponse.From)], page, pageSize, total, next));
    }

    public static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, Caller caller, DocExtractDbContext db, CancellationToken cancellationToken)
    {
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Record, cancellationToken);
        return found.Failed ? found.Problem : TypedResults.Ok(DocumentResponse.From(found.Document));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetResultAsync(
        Guid id, Caller caller, DocExtractDbContext db, AuditLog audit, CancellationToken cancellationToken, string? version = null)
    {
        if (version is not (null or Review.ReviewedResults.ModelVersion))
        {
            return Problems.BadRequest($"unknown version '{version}': leave it out for the reviewed data when there is one, or ask for 'model'");
        }
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Results, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }
        var document = found.Document;
        if (!document.Status.HasResult())
        {
            var why = document.Status == DocumentStatus.Failed ? $": {document.FailureReason}" : "; try again later";
            return Problems.Conflict($"document {id} has no result yet: it is {document.Status.ToWire()}{why}");
        }

        // The stored jsonb is returned as it is, without a round trip through entity types.
        var json = await db.ReadResultJsonAsync(document.CurrentExtractionId, cancellationToken);
        if (json is null)
        {
            return Problems.Conflict($"document {id} is marked {document.Status.ToWire()} but its result is missing; re-extract it");
        }
        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.ReadResult, id, new { extractionId = document.CurrentExtractionId }), cancellationToken);
        // Once approved on the review screen (#13), the corrected data is served, saying so; ?version=model the model's.
        return TypedResults.Content(await Review.ReviewedResults.ApplyAsync(db, document, json, version, cancellationToken), "application/json");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFileAsync(
        Guid id, Caller caller, DocExtractDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Original, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }
        var document = found.Document;
        var content = await db.Files.Where(f => f.Sha256 == document.FileSha256).Select(f => f.Content).FirstOrDefaultAsync(cancellationToken);
        if (content is null)
        {
            return Problems.DocumentNotFound(id);
        }
        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.ReadFile, id, new { sha256 = document.FileSha256 }), cancellationToken);
        // Cleaned again on the way out: names stored before control characters were stripped at intake (issue #15).
        return TypedResults.File(content, "application/pdf", DisplayNames.Clean(document.FileName),
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{document.FileSha256}\""));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, Caller caller, DocumentDeletion deletion, CancellationToken cancellationToken) =>
        await deletion.DeleteAsync(id, AuditEntry.By(caller, AuditActions.Deleted, id, new { request = $"DELETE /documents/{id}" }), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.DocumentNotFound(id);
}
