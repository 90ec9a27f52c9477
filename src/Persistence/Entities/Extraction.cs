namespace DocExtract.Persistence.Entities;

/// <summary>
/// One run of extraction over a document: the upload's, then one per re-extraction (#6). Its id is the command's
/// extraction id and the id of its result; the document's status follows its current extraction, and earlier ones
/// keep theirs.
/// </summary>
public sealed class Extraction
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }

    /// <summary>The document type asked for: a schema name or <c>auto</c>.</summary>
    public required string RequestedSchema { get; init; }

    /// <summary>The schema version asked for; null for "the latest when it runs".</summary>
    public string? RequestedVersion { get; init; }

    /// <summary>The type and version the result was made with, once known.</summary>
    public string? SchemaName { get; set; }

    public string? SchemaVersion { get; set; }

    public DocumentStatus Status { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// The model tier working on it (#12, the cascade of local models): 0 when queued, raised by each escalation in
    /// the transaction that queues the next tier, so a redelivered message of an earlier tier is recognised and dropped.
    /// </summary>
    public int Tier { get; set; }

    /// <summary>The earlier tiers' attempts as a JSON array (the result's <c>attempts</c> so far); null until one escalated.</summary>
    public string? Attempts { get; set; }
}
