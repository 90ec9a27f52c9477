using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
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
        group.MapPost("/", UploadAsync).DisableAntiforgery();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDocument");
        group.MapGet("/{id:guid}/result", GetResultAsync);
        group.MapGet("/{id:guid}/file", GetFileAsync);
        group.MapDelete("/{id:guid}", DeleteAsync);
        return app;
    }

    public static async Task<Results<Accepted<DocumentResponse>, Ok<DocumentResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, DocumentIntake intake, UploadReader reader, CancellationToken cancellationToken)
    {
        var read = await reader.ReadAsync(request, cancellationToken);
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
        DocExtractDbContext db, IOptions<ApiOptions> options, CancellationToken cancellationToken,
        string? status = null, int page = 1, int pageSize = 50)
    {
        var query = db.Documents.AsNoTracking();
        if (status is not null)
        {
            if (!DocumentStatusNames.TryParse(status, out var wanted))
            {
                var known = string.Join(", ", Enum.GetValues<DocumentStatus>().Select(s => s.ToWire()));
                return Problems.BadRequest($"unknown status '{status}': use one of {known}");
            }
            query = query.Where(d => d.Status == wanted);
        }
        if (page < 1 || pageSize < 1 || pageSize > options.Value.MaxPageSize)
        {
            return Problems.BadRequest($"page must be 1 or more and pageSize between 1 and {options.Value.MaxPageSize}");
        }

        var total = await query.LongCountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var next = (long)page * pageSize < total
            ? $"/documents?{(status is null ? "" : $"status={status}&")}page={page + 1}&pageSize={pageSize}"
            : null;
        return TypedResults.Ok(new DocumentPage([.. items.Select(DocumentResponse.From)], page, pageSize, total, next));
    }

    public static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, DocExtractDbContext db, CancellationToken cancellationToken) =>
        await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken) is { } document
            ? TypedResults.Ok(DocumentResponse.From(document))
            : Problems.DocumentNotFound(id);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetResultAsync(
        Guid id, DocExtractDbContext db, CancellationToken cancellationToken)
    {
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (document is null)
        {
            return Problems.DocumentNotFound(id);
        }
        if (!document.Status.HasResult())
        {
            var why = document.Status == DocumentStatus.Failed ? $": {document.FailureReason}" : "; try again later";
            return Problems.Conflict($"document {id} has no result yet: it is {document.Status.ToWire()}{why}");
        }

        // The stored jsonb is returned as it is, without a round trip through entity types.
        var json = await db.Database
            .SqlQuery<string>($"SELECT content::text AS \"Value\" FROM results WHERE id = {document.CurrentExtractionId}")
            .FirstOrDefaultAsync(cancellationToken);
        return json is null
            ? Problems.Conflict($"document {id} is marked {document.Status.ToWire()} but its result is missing; re-extract it")
            : TypedResults.Content(json, "application/json");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFileAsync(
        Guid id, DocExtractDbContext db, CancellationToken cancellationToken)
    {
        var found = await db.Documents.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.FileName, d.File!.Content, d.FileSha256 })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null
            ? Problems.DocumentNotFound(id)
            : TypedResults.File(found.Content, "application/pdf", found.FileName,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{found.FileSha256}\""));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, DocumentDeletion deletion, CancellationToken cancellationToken) =>
        await deletion.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : Problems.DocumentNotFound(id);
}
