using DocExtract.Operations.Polling;

namespace DocExtract.Operations.Outbox;

/// <summary>Wakes the relay as soon as something was committed, so a message waits for no poll interval.</summary>
public sealed class OutboxSignal : WakeSignal;

public sealed record RabbitMqQueues(string ExtractQueue);
