namespace DocExtract.Persistence.Entities;

/// <summary>
/// A command written in the same transaction as the rows it is about and sent to the broker by the relay
/// afterwards, so a crash between commit and publish delays a message but never loses it.
/// MassTransit's EF outbox package is not reachable here, so this is ours (issue #2).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }
    public Guid MessageId { get; init; }
    public required string Destination { get; init; }
    public required string MessageType { get; init; }
    public required string Payload { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
