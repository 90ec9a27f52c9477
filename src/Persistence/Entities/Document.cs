namespace DocExtract.Persistence.Entities;

public sealed class Document
{
    public Guid Id { get; init; }
    public required string FileSha256 { get; init; }
    public required string FileName { get; init; }
    public long SizeBytes { get; init; }

    /// <summary>The document type asked for at upload: a schema name or <c>auto</c>.</summary>
    public required string RequestedSchema { get; init; }

    public DocumentStatus Status { get; set; }
    public string? FailureReason { get; set; }
    public int? PageCount { get; set; }
    public int Attempts { get; set; }

    /// <summary>The extraction the document is waiting for or finished with; results are keyed by it.</summary>
    public Guid CurrentExtractionId { get; set; }

    public string? IdempotencyKey { get; init; }
    public string Source { get; init; } = DocumentSources.Api;

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public StoredFile? File { get; init; }
}

public enum DocumentStatus
{
    Queued,
    Processing,
    Succeeded,
    Failed,

    /// <summary>
    /// Finished with a result that a person should check before it is relied on (#6): a value the model was unsure
    /// of, a value not found in the document, a document of no known type, or (from the rules) a failed rule.
    /// </summary>
    NeedsReview,
}

public static class DocumentSources
{
    public const string Api = "api";
    public const string WatchedFolder = "watched-folder";
}

public static class DocumentStatusNames
{
    public static string ToWire(this DocumentStatus status) => status switch
    {
        DocumentStatus.Queued => "queued",
        DocumentStatus.Processing => "processing",
        DocumentStatus.Succeeded => "succeeded",
        DocumentStatus.Failed => "failed",
        DocumentStatus.NeedsReview => "needs_review",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? text, out DocumentStatus status)
    {
        foreach (var candidate in Enum.GetValues<DocumentStatus>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static bool IsTerminal(this DocumentStatus status) =>
        status is DocumentStatus.Succeeded or DocumentStatus.Failed or DocumentStatus.NeedsReview;

    /// <summary>Finished with a result to read (GET /documents/{id}/result), whether or not it needs review.</summary>
    public static bool HasResult(this DocumentStatus status) =>
        status is DocumentStatus.Succeeded or DocumentStatus.NeedsReview;
}
