namespace DocExtract.Persistence.Entities;

/// <summary>
/// An original upload, content-addressed by its SHA-256. Rows are inserted once and never updated:
/// the bytes a user gets back are the bytes they sent.
/// </summary>
public sealed class StoredFile
{
    public required string Sha256 { get; init; }
    public required byte[] Content { get; init; }
    public required long SizeBytes { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
