namespace DocExtract.Persistence.Entities;

public sealed class Document
{
    public Guid Id { get; init; }

    /// <summary>The tenant that owns the document; every read filters by it (issue #7).</summary>
    public string TenantId { get; init; } = Tenancy.Tenants.Default;

    /// <summary>The key that uploaded it; null for the watched folder. A submit key sees only its own uploads.</summary>
    public string? SubmittedByKeyId { get; init; }

    /// <summary>
    /// SHA-256 of the original, also after retention deleted it. The stored file is shared by every document with the
    /// same bytes and goes when the last of them lets go of it.
    /// </summary>
    public required string FileSha256 { get; init; }
    public required string FileName { get; init; }
    public long SizeBytes { get; init; }

    /// <summary>The document type asked for by the current extraction (at upload or re-extraction): a schema name or <c>auto</c>.</summary>
    public required string RequestedSchema { get; set; }

    public DocumentStatus Status { get; set; }
    public string? FailureReason { get; set; }
    public int? PageCount { get; set; }
    public int Attempts { get; set; }

    /// <summary>
    /// The extraction the document is waiting for or finished with; results are keyed by it. A concurrency token:
    /// a worker finishing an extraction that a re-extraction replaced meanwhile cannot overwrite the document (#6).
    /// </summary>
    public Guid CurrentExtractionId { get; set; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The upload's completion webhook (issue #6), already checked against the allow-list.</summary>
    public string? CallbackUrl { get; init; }

    public string Source { get; init; } = DocumentSources.Api;

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When retention deleted the original (the document and its results may remain).</summary>
    public DateTimeOffset? OriginalDeletedAt { get; set; }

    /// <summary>When retention deleted the extracted text and results.</summary>
    public DateTimeOffset? ResultsDeletedAt { get; set; }
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

    /// <summary>
    /// A person checked the result on the review screen and approved it, corrected or not (#13): its data is the
    /// newest <see cref="ResultReview"/>, the model's output is kept beside it.
    /// </summary>
    Reviewed,
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
        DocumentStatus.Reviewed => "reviewed",
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
        status is DocumentStatus.Succeeded or DocumentStatus.Failed or DocumentStatus.NeedsReview or DocumentStatus.Reviewed;

    /// <summary>Finished with a result to read (GET /documents/{id}/result), whether or not it needs review.</summary>
    public static bool HasResult(this DocumentStatus status) =>
        status is DocumentStatus.Succeeded or DocumentStatus.NeedsReview or DocumentStatus.Reviewed;
}
