using System.Text.Json;

namespace DocExtract.Persistence.Entities;

/// <summary>
/// The outcome of one extraction of a document. The primary key is the extraction id carried by the
/// queue message, so a redelivered message cannot create a second result (issue #2).
/// </summary>
public sealed class ExtractionResult : IDisposable
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public required string SchemaName { get; init; }
    public required JsonDocument Content { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public void Dispose() => Content.Dispose();
}
