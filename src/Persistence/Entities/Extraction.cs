namespace DocExtract.Persistence.Entities;

/// <summary>
/// One run of extraction over a document: the upload's, then one per re-extraction (#6). Its id is the command's
/// extraction id and the id of its result; the document's status follows its current extraction, and earlier ones
/// keep theirs.
/// </summary>
public sealed class Extraction
{
    private DocumentStatus _status;
    private string? _schemaName;
    private string? _schemaVersion;
    private DateTimeOffset? _completedAt;
    private int _tier;

    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }

    /// <summary>The document type asked for: a schema name or <c>auto</c>.</summary>
    public required string RequestedSchema { get; init; }

    /// <summary>The schema version asked for; null for "the latest when it runs".</summary>
    public string? RequestedVersion { get; init; }

    /// <summary>The type and version the result was made with, once known.</summary>
    public string? SchemaName { get => _schemaName; init => _schemaName = value; }

    public string? SchemaVersion { get => _schemaVersion; init => _schemaVersion = value; }

    /// <summary>Changed by the document's transitions while this is its current extraction, else by <see cref="Supersede"/>.</summary>
    public DocumentStatus Status { get => _status; init => _status = value; }
    public string? FailureReason { get; private set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get => _completedAt; init => _completedAt = value; }

    /// <summary>A newer extraction replaced this one before a worker started on it.</summary>
    public void Supersede(Guid newer, DateTimeOffset now)
    {
        if (_status != DocumentStatus.Queued)
        {
            throw new InvalidOperationException($"extraction {Id} is {_status.ToWire()}: only a queued one can be superseded");
        }
        _status = DocumentStatus.Failed;
        FailureReason = $"replaced by extraction {newer} before it started";
        _completedAt = now;
    }

    internal void StartProcessing() => _status = DocumentStatus.Processing;

    internal void Complete(DocumentStatus status, string schemaName, string? schemaVersion, DateTimeOffset now)
    {
        _status = status;
        _schemaName = schemaName;
        _schemaVersion = schemaVersion;
        FailureReason = null;
        _completedAt = now;
    }

    internal void Fail(string reason, DateTimeOffset now)
    {
        _status = DocumentStatus.Failed;
        FailureReason = reason;
        _completedAt = now;
    }

    internal void MarkReviewed() => _status = DocumentStatus.Reviewed;

    /// <summary>
    /// The model tier working on it (#12, the cascade of local models): 0 when queued, raised by each escalation in
    /// the transaction that queues the next tier, so a redelivered message of an earlier tier is recognised and dropped.
    /// </summary>
    public int Tier { get => _tier; init => _tier = value; }

    /// <summary>The earlier tiers' attempts as a JSON array (the result's <c>attempts</c> so far); null until one escalated.</summary>
    public string? Attempts { get; private set; }

    internal void Escalate(int tier, string attempts)
    {
        _tier = tier;
        Attempts = attempts;
    }
}
