namespace DocExtract.Persistence.Entities;

/// <summary>
/// The ledger of the watched folder's non-destructive mode (issue #4): one row per inbox path, so a file left in
/// place is taken once, also across restarts, and taken again only when its bytes change.
/// </summary>
public sealed class WatchedFile
{
    /// <summary>The path relative to the inbox.</summary>
    public required string Path { get; init; }
    public long SizeBytes { get; set; }
    public DateTimeOffset ModifiedAt { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>processed, failed or duplicate.</summary>
    public required string Fate { get; set; }
    public Guid? DocumentId { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset TakenAt { get; set; }
}
