using System.Text.Json;
using DocExtract.Contracts;
using DocExtract.Persistence.Entities;

namespace DocExtract.Operations.Outbox;

public static class OutboxMessages
{
    /// <summary>An upload's or re-extraction's command: its message id is the extraction's.</summary>
    public static OutboxMessage For(ExtractDocument command, string destination, DateTimeOffset now) =>
        For(command, command.ExtractionId, destination, now);

    /// <summary>
    /// A command under a message id of the caller's: an escalation to tier N sends the same extraction again, so its
    /// message id is derived from the extraction and the tier (#12), unique as the outbox wants it.
    /// </summary>
    public static OutboxMessage For(ExtractDocument command, Guid messageId, string destination, DateTimeOffset now) => new()
    {
        MessageId = messageId,
        Destination = destination,
        MessageType = nameof(ExtractDocument),
        Payload = JsonSerializer.Serialize(command),
        CreatedAt = now,
    };
}
