using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Api.Usage;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Review;

/// <summary>
/// The JSON the review screen reads and the approval it writes (issue #13). Every endpoint takes an API key of role
/// read or admin, or the session signed in with one; approving with the session needs its CSRF token.
/// </summary>
public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var review = app.MapGroup("/review/api").WithTags("Review");
        review.MapGet("/queue", QueueAsync).RequireAuthorization(ReviewSession.ReviewPolicy);
        review.MapGet("/documents/{id:guid}", DocumentAsync).RequireAuthorization(ReviewSession.ReviewPolicy);
        review.MapGet("/usage/report", UsageApi.ReportAsync).RequireAuthorization(ReviewSession.ReviewAdminPolicy);

        var documents = app.MapGroup("/documents/{id:guid}").WithTags("Review");
        documents.MapGet("/pages/{page:int}/image", PageImageAsync).RequireAuthorization(ReviewSession.ReviewPolicy);
        documents.MapPost("/review", ApproveAsync).DisableAntiforgery()
            .RequireAuthorization(ReviewSession.ReviewPolicy).AddEndpointFilter(ReviewSession.RequireCsrfTokenAsync);
        return app;
    }

    /// <summary>The tenant's documents that need review, oldest or newest first, optionally of one type or with one reason.</summary>
    public static async Task<Results<Ok<ReviewQueueListing>, ProblemHttpResult>> QueueAsync(
        Caller caller, DocExtractDbContext db, IOptions<ReviewOptions> options, TimeProvider clock, CancellationToken cancellationToken,
        string? order = null, string? type = null, string? reason = null)
    {
        if (order is not (null or "oldest" or "newest"))
        {
            return Problems.BadRequest($"unknown order '{order}': use oldest or newest");
        }
        var oldest = order != "newest";
        var limit = options.Value.QueueSize;
        var rows = await db.ReviewQueueAsync(caller.TenantId, type, reason, oldest, limit, cancellationToken);
        var facets = await db.ReviewQueueFacetsAsync(caller.TenantId, cancellationToken);
        var now = clock.GetUtcNow();
        var items = rows.Select(row =>
        {
            using var reasons = JsonDocument.Parse(row.Reasons);
            return new QueueItem(row.Id, row.FileName, row.Type, row.PageCount, row.CreatedAt,
                (long)(now - row.CreatedAt).TotalSeconds, reasons.RootElement.Clone());
        }).ToList();
        return TypedResults.Ok(new ReviewQueueListing(items,
            [.. facets.Where(f => f.Facet == "type").Select(f => f.Value).Order(StringComparer.Ordinal)],
            [.. facets.Where(f => f.Facet == "reason").Select(f => f.Value).Order(StringComparer.Ordinal)],
            oldest ? "oldest" : "newest", limit));
    }

    /// <summary>One document for the screen: its status, the model's result, its type's schema, and the newest approval.</summary>
    public static async Task<Results<Ok<ReviewDocument>, ProblemHttpResult>> DocumentAsync(
        Guid id, Caller caller, DocExtractDbContext db, DocumentTypeCatalog types, AuditLog audit, CancellationToken cancellationToken)
    {
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Results, cancellationToken);
        if (found.Failed)
        {
            return found.Problem;
        }
        var document = found.Document;
        if (!document.Status.HasResult())
        {
            return Problems.Conflict($"document {id} has no result to review: it is {document.Status.ToWire()}");
        }
        using var model = await db.Results.AsNoTracking().FirstOrDefaultAsync(r => r.Id == document.CurrentExtractionId, cancellationToken);
        if (model is null)
        {
            return Problems.Conflict($"document {id} is marked {document.Status.ToWire()} but its result is missing; re-extract it");
        }
        var content = model.Content.RootElement;
        var (name, version) = ReviewedResults.SchemaOf(model);
        var lookup = await types.FindAsync(caller.TenantId, name, version, cancellationToken);
        using var review = await ReviewedResults.LatestAsync(db, document, cancellationToken);
        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.ReadResult, id, new { extractionId = model.Id, via = "review" }), cancellationToken);
        return TypedResults.Ok(new ReviewDocument(
            DocumentResponse.From(document),
            content.Clone(),
            lookup.Type is { } type ? new ReviewSchema(type.Schema.Name, type.Schema.Version, type.Schema.Title, type.Schema.Root.Clone()) : null,
            lookup.Problem,
            review is null ? null : new ReviewVersion(review.Version, review.ReviewedBy, review.ReviewedAt,
                review.Data.RootElement.Clone(), review.Changes.RootElement.Clone())));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PageImageAsync(
        Guid id, int page, Caller caller, DocExtractDbContext db, PageImages images, IOptions<ReviewOptions> options,
        CancellationToken cancellationToken, int? dpi = null)
    {
        var settings = options.Value;
        var resolution = dpi ?? settings.PageDpi;
        if (resolution < 36 || resolution > settings.MaxPageDpi)
        {
            return Problems.BadRequest($"dpi must be between 36 and {settings.MaxPageDpi} (Review:MaxPageDpi)");
        }
        var found = await VisibleDocuments.FindAsync(db, caller, id, DocumentPart.Original, cancellationToken, ", so its pages cannot be shown");
        if (found.Failed)
        {
            return found.Problem;
        }
        var document = found.Document;
        if (page < 1 || (document.PageCount is { } count && page > count))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Page not found",
                detail: $"document {id} has {(document.PageCount is { } pages ? $"pages 1 to {pages}" : "no known pages")}; there is no page {page}");
        }
        var image = await images.RenderAsync(document.FileSha256, page, resolution,
            () => db.Files.Where(f => f.Sha256 == document.FileSha256).Select(f => f.Content).FirstOrDefaultAsync(cancellationToken),
            cancellationToken);
        if (image.Png is null)
        {
            return TypedResults.Problem(statusCode: image.Status, title: "Page not rendered", detail: image.Problem);
        }
        return TypedResults.File(image.Png, "image/png");
    }

    public static async Task<Results<Ok<ApprovalResponse>, ProblemHttpResult>> ApproveAsync(
        Guid id, ApprovalRequest body, Caller caller, ReviewApproval approval, CancellationToken cancellationToken)
    {
        if (body.Data is not { } data)
        {
            return Problems.BadRequest("send the approved data as {\"data\": {...}}: the document's data object, corrected or not");
        }
        var result = await approval.ApproveAsync(id, data, caller, cancellationToken);
        using var review = result.Review;
        return result.Outcome switch
        {
            ApprovalOutcome.Approved => TypedResults.Ok(new ApprovalResponse(id, DocumentStatus.Reviewed.ToWire(), review!.Version, review.ReviewedBy,
                review.ReviewedAt, review.Changes.RootElement.Clone(), $"/documents/{id}/result")),
            ApprovalOutcome.DocumentNotFound => Problems.DocumentNotFound(id),
            ApprovalOutcome.ResultsDeleted => Problems.Gone(result.Problem!),
            ApprovalOutcome.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid data",
                detail: result.Problem, extensions: new Dictionary<string, object?> { ["errors"] = result.Errors }),
            _ => Problems.Conflict(result.Problem!),
        };
    }
}



public sealed record QueueItem(Guid Id, string FileName, string Type, int? PageCount, DateTimeOffset CreatedAt, long AgeSeconds, JsonElement Reasons);

public sealed record ReviewQueueListing(IReadOnlyList<QueueItem> Items, IReadOnlyList<string> Types, IReadOnlyList<string> Reasons, string Order, int Limit);

public sealed record ReviewSchema(string Name, string Version, string Title, JsonElement Json);

public sealed record ReviewVersion(int Version, string ReviewedBy, DateTimeOffset ReviewedAt, JsonElement Data, JsonElement Changes);

public sealed record ReviewDocument(DocumentResponse Document, JsonElement Result, ReviewSchema? Schema, string? SchemaProblem, ReviewVersion? Review);

public sealed record ApprovalRequest(JsonElement? Data);

public sealed record ApprovalResponse(Guid DocumentId, string Status, int Version, string ReviewedBy, DateTimeOffset ReviewedAt, JsonElement Changes, string Result);
