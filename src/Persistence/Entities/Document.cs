namespace DocExtract.Persistence.Entities;

/// <summary>
/// An uploaded PDF and where its current extraction stands. Its status changes only through the transitions below
/// (#16), each of which moves the current <see cref="Extraction"/> row with it, so the two never disagree: queued ->
/// processing -> succeeded, needs_review or failed; a result approved on the review screen -> reviewed; any state ->
/// queued again by a re-extraction. A new document is queued.
/// </summary>
public sealed class Document
{
    private DocumentStatus _status;
    private string _requestedSchema = "";
    private Guid _currentExtractionId;
    private DateTimeOffset _updatedAt;
    private DateTimeOffset? _completedAt;

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
    public required string RequestedSchema { get => _requestedSchema; init => _requestedSchema = value; }

    public DocumentStatus Status { get => _status; init => _status = value; }
    public string? FailureReason { get; private set; }
    public int? PageCount { get; set; }

    /// <summary>How often a worker started on the current extraction; a worker that keeps dying stops at Worker:MaxAttempts.</summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// The extraction the document is waiting for or finished with; results are keyed by it. A concurrency token:
    /// a worker finishing an extraction that a re-extraction replaced meanwhile cannot overwrite the document (#6).
    /// </summary>
    public Guid CurrentExtractionId { get => _currentExtractionId; init => _currentExtractionId = value; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The upload's completion webhook (issue #6), already checked against the allow-list.</summary>
    public string? CallbackUrl { get; init; }

    public string Source { get; init; } = DocumentSources.Api;

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get => _updatedAt; init => _updatedAt = value; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get => _completedAt; init => _completedAt = value; }

    /// <summary>When retention deleted the original (the document and its results may remain).</summary>
    public DateTimeOffset? OriginalDeletedAt { get; set; }

    /// <summary>When retention deleted the extracted text and results.</summary>
    public DateTimeOffset? ResultsDeletedAt { get; set; }

    /// <summary>A worker starts on the current extraction (again, after one died on it): one more attempt.</summary>
    public void StartProcessing(Extraction? extraction, DateTimeOffset now)
    {
        Require(_status is DocumentStatus.Queued or DocumentStatus.Processing, "start processing");
        _status = DocumentStatus.Processing;
        StartedAt ??= now;
        Attempts++;
        _updatedAt = now;
        extraction?.StartProcessing();
    }

    /// <summary>
    /// The current extraction finished with a result made with <paramref name="schemaName"/> at
    /// <paramref name="schemaVersion"/>: succeeded, or needs_review when the review policy asked for a person.
    /// </summary>
    public void Complete(Extraction? extraction, bool needsReview, string schemaName, string? schemaVersion, DateTimeOffset now)
    {
        Require(_status == DocumentStatus.Processing, "complete");
        _status = needsReview ? DocumentStatus.NeedsReview : DocumentStatus.Succeeded;
        FailureReason = null;
        _completedAt = now;
        _updatedAt = now;
        extraction?.Complete(_status, schemaName, schemaVersion, now);
    }

    /// <summary>
    /// The current extraction failed for good, for a reason a person can act on. Also after <see cref="Complete"/>: a
    /// result PostgreSQL refused to store fails the document instead (#15).
    /// </summary>
    public void Fail(Extraction? extraction, string reason, DateTimeOffset now)
    {
        _status = DocumentStatus.Failed;
        FailureReason = reason;
        _completedAt = now;
        _updatedAt = now;
        extraction?.Fail(reason, now);
    }

    /// <summary>
    /// A re-extraction (#6): <paramref name="next"/> becomes the current extraction and the document is queued afresh,
    /// its attempts and times reset. The <paramref name="earlier"/> extraction, when it never started, is superseded;
    /// one that runs or ran keeps its own outcome.
    /// </summary>
    public void QueueAgain(Extraction next, Extraction? earlier, DateTimeOffset now)
    {
        if (earlier is { Status: DocumentStatus.Queued })
        {
            earlier.Supersede(next.Id, now);
        }
        _currentExtractionId = next.Id;
        _requestedSchema = next.RequestedSchema;
        _status = DocumentStatus.Queued;
        FailureReason = null;
        Attempts = 0;
        StartedAt = null;
        _completedAt = null;
        _updatedAt = now;
    }

    /// <summary>
    /// The current extraction goes on to the next model tier (#12, the cascade of local models): the document stays
    /// processing, its attempts start over (the next tier's workers count their own interruptions), and the extraction
    /// records its new tier and the attempts so far.
    /// </summary>
    public void Escalate(Extraction extraction, int tier, string attempts, DateTimeOffset now)
    {
        Require(_status == DocumentStatus.Processing, "go on to the next model tier");
        Attempts = 0;
        _updatedAt = now;
        extraction.Escalate(tier, attempts);
    }

    /// <summary>A person approved the result on the review screen, corrected or not (#13); approving again is allowed.</summary>
    public void MarkReviewed(Extraction? extraction, DateTimeOffset now)
    {
        Require(_status.HasResult(), "be marked reviewed");
        _status = DocumentStatus.Reviewed;
        _updatedAt = now;
        extraction?.MarkReviewed();
    }

    private void Require(bool allowed, string transition)
    {
        if (!allowed)
        {
            throw new InvalidOperationException($"document {Id} is {_status.ToWire()} and cannot {transition}");
        }
    }
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
