using System.Text.Json;
using System.Text.RegularExpressions;
using DocExtract.Api.Audit;
using DocExtract.Api.Security;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Review;

public enum ApprovalOutcome
{
    Approved,
    DocumentNotFound,
    ResultsDeleted,
    NoResult,
    NoSchema,
    Invalid,
    Raced,
}

/// <summary>A schema error at a place in the data: a JSON Pointer (empty for the whole object) and what is wrong.</summary>
public sealed record FieldError(string Pointer, string Message);

public sealed record ApprovalResult(ApprovalOutcome Outcome, ResultReview? Review = null, string? Problem = null, IReadOnlyList<FieldError>? Errors = null);

/// <summary>
/// Approves a document's data as a person corrected it (issue #13): validated against the exact schema version the
/// model's result was made with, stored as a new <see cref="ResultReview"/> version beside the untouched model output,
/// with the changes against it. In one transaction: the review, the document and its extraction set to
/// <c>reviewed</c>, the audit record, and the completion webhook deliveries.
/// </summary>
public sealed partial class ReviewApproval(DocExtractDbContext db, DocumentTypeCatalog types, AuditLog audit, CompletionWebhooks webhooks, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public async Task<ApprovalResult> ApproveAsync(Guid documentId, JsonElement data, Caller caller, CancellationToken cancellationToken)
    {
        var document = await db.Documents.FindVisibleAsync(caller, documentId, cancellationToken);
        if (document is null)
        {
            return new ApprovalResult(ApprovalOutcome.DocumentNotFound);
        }
        if (document.ResultsDeletedAt is { } deleted)
        {
            return new ApprovalResult(ApprovalOutcome.ResultsDeleted, Problem: $"the results of document {documentId} were deleted at {deleted:u} by the retention policy");
        }
        if (!document.Status.HasResult())
        {
            return new ApprovalResult(ApprovalOutcome.NoResult, Problem: $"document {documentId} has no result to approve: it is {document.Status.ToWire()}");
        }
        using var model = await db.Results.AsNoTracking().FirstOrDefaultAsync(r => r.Id == document.CurrentExtractionId, cancellationToken);
        if (model is null)
        {
            return new ApprovalResult(ApprovalOutcome.NoResult, Problem: $"document {documentId} is marked {document.Status.ToWire()} but its result is missing; re-extract it");
        }

        var content = model.Content.RootElement;
        var (schemaName, schemaVersion) = ReviewedResults.SchemaOf(model);
        var lookup = await types.FindAsync(caller.TenantId, schemaName, schemaVersion, cancellationToken);
        if (lookup.Type is not { } type)
        {
            return new ApprovalResult(ApprovalOutcome.NoSchema, Problem:
                $"the data of document {documentId} cannot be checked: {lookup.Problem}; re-extract it with a document type, then review it");
        }
        if (data.ValueKind != JsonValueKind.Object)
        {
            return new ApprovalResult(ApprovalOutcome.Invalid, Problem: "'data' must be the document's data object", Errors: [new FieldError("", "an object expected")]);
        }
        var errors = type.Schema.Validator.Validate(data.GetRawText());
        if (errors.Count > 0)
        {
            return new ApprovalResult(ApprovalOutcome.Invalid,
                Problem: $"the data does not satisfy the document type '{schemaName}': {string.Join("; ", errors)}",
                Errors: [.. errors.Select(ToFieldError)]);
        }

        var modelData = content.TryGetProperty("data", out var d) ? d : (JsonElement?)null;
        var changes = JsonChanges.Between(modelData, data);
        var now = clock.GetUtcNow();
        var latest = await db.Reviews.Where(r => r.DocumentId == documentId).MaxAsync(r => (int?)r.Version, cancellationToken) ?? 0;
        var review = new ResultReview
        {
            Id = Guid.CreateVersion7(now),
            DocumentId = documentId,
            TenantId = document.TenantId,
            ResultId = model.Id,
            Version = latest + 1,
            SchemaName = schemaName,
            // The schema version the corrected data was validated against: the model result's.
            SchemaVersion = schemaVersion,
            Data = JsonDocument.Parse(data.GetRawText()),
            Changes = JsonSerializer.SerializeToDocument(changes, _json),
            ReviewedBy = caller.KeyId,
            ReviewedAt = now,
        };
        db.Reviews.Add(review);
        document.MarkReviewed(await db.Extractions.FirstOrDefaultAsync(e => e.Id == model.Id, cancellationToken), now);
        db.WebhookDeliveries.AddRange(webhooks.For(document, schemaName, now));
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(AuditEntry.By(caller, AuditActions.Reviewed, documentId,
                new { version = review.Version, extractionId = model.Id, changes }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
        {
            // Another approval took this version, or a re-extraction replaced the result, between our read and write.
            return new ApprovalResult(ApprovalOutcome.Raced, Problem:
                $"document {documentId} was approved or re-extracted by someone else at the same moment; reload it and approve again");
        }
        return new ApprovalResult(ApprovalOutcome.Approved, review);
    }

    // "#/line_items[0].amount: number expected" -> /line_items/0/amount, "number expected".
    private static FieldError ToFieldError(string line)
    {
        var match = ValidatorLine().Match(line);
        if (!match.Success)
        {
            return new FieldError("", line);
        }
        var path = match.Groups["path"].Value;
        var pointer = string.Concat(PathStep().Matches(path).Select(step =>
            "/" + (step.Groups["index"].Success ? step.Groups["index"].Value : step.Groups["name"].Value)));
        return new FieldError(pointer, match.Groups["message"].Value);
    }

    [GeneratedRegex(@"^#(?<path>[^:\s]*): (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex ValidatorLine();

    [GeneratedRegex(@"\[(?<index>\d+)\]|[/.](?<name>[^/.\[]+)")]
    private static partial Regex PathStep();
}
