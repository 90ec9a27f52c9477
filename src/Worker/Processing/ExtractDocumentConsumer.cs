using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Worker.Messaging;
using MassTransit;

namespace DocExtract.Worker.Processing;

/// <summary>Thin by design: retry, concurrency and redelivery live in the definition, the work in the processor.</summary>
public sealed class ExtractDocumentConsumer(DocumentProcessor processor) : IConsumer<ExtractDocument>
{
    public Task Consume(ConsumeContext<ExtractDocument> context) =>
        processor.ProcessAsync(context.Message, context.CancellationToken);
}

/// <summary>
/// Transient faults (PostgreSQL or RabbitMQ away) are retried in memory with exponential backoff, then redelivered after
/// each of Worker:DelayedRedeliveries through RabbitMQ's delay queues (<see cref="DelayedRedelivery"/>); a fault of the
/// document itself never reaches here, the processor fails the document at once. When both run out, the fault
/// consumer below marks the document failed so it never waits forever.
/// </summary>
public sealed class ExtractDocumentConsumerDefinition : ConsumerDefinition<ExtractDocumentConsumer>
{
    private readonly WorkerOptions _options;

    public ExtractDocumentConsumerDefinition(
        Microsoft.Extensions.Options.IOptions<WorkerOptions> options, Microsoft.Extensions.Options.IOptions<Pipeline.Extraction.LlmOptions> llm)
    {
        _options = options.Value;
        // The LLM's slots only fill when as many documents are in flight (#5).
        ConcurrentMessageLimit = _options.EffectiveConcurrency(llm.Value.MaxSequences);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExtractDocumentConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        // Data PostgreSQL refuses is refused again on every retry (#15); the processor fails such a document itself,
        // and should its failure be refused too, the fault consumer says why at once.
        endpointConfigurator.UseTransientFaultRetries<ExtractDocument>(_options, context);
}

/// <summary>
/// Failing a document needs PostgreSQL too: an outage when the retries run out is waited out the same way, so the
/// document does not stay processing with its fault in an error queue.
/// </summary>
public sealed class ExtractDocumentFaultConsumerDefinition(Microsoft.Extensions.Options.IOptions<WorkerOptions> options)
    : ConsumerDefinition<ExtractDocumentFaultConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExtractDocumentFaultConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTransientFaultRetries<Fault<ExtractDocument>>(options.Value, context);
}

public sealed class ExtractDocumentFaultConsumer(
    DocumentProcessor processor, Microsoft.Extensions.Options.IOptions<WorkerOptions> options, ILogger<ExtractDocumentFaultConsumer> logger)
    : IConsumer<Fault<ExtractDocument>>
{
    /// <summary>One fault queue for every tier: giving a document up is the same work whichever tier faulted.</summary>
    public static string QueueName(RabbitMqOptions rabbit) => $"{rabbit.ExtractQueue}-faults";

    public async Task Consume(ConsumeContext<Fault<ExtractDocument>> context)
    {
        using var scope = DocumentLogScope.Begin(logger, context.Message.Message.DocumentId, context.Message.Message.ExtractionId);
        var error = context.Message.Exceptions.FirstOrDefault();
        var reason = Refusal(error) is { } refusal
            ? $"PostgreSQL refused the document's data ({refusal}); retrying cannot help: check the PDF's text and the document type's schema, then re-extract"
            : $"processing kept failing with a fault of the service, not of the document ({error?.Message ?? "unknown error"}), {Retried(options.Value)}; re-extract it once the service is healthy";
        await processor.GiveUpAsync(context.Message.Message, reason, context.CancellationToken);
    }

    /// <summary>How long a transient fault was retried before this: "retried 5 times in memory, then redelivered after 1 min, 5 min and 15 min (21 min)".</summary>
    public static string Retried(WorkerOptions options)
    {
        var inMemory = $"retried {options.TransientRetries} time{(options.TransientRetries == 1 ? "" : "s")} in memory (Worker:TransientRetries)";
        if (options.Delays.Count == 0)
        {
            return inMemory;
        }
        var delays = options.Delays.Select(DelayedRedelivery.Describe).ToList();
        var listed = delays.Count == 1 ? delays[0] : $"{string.Join(", ", delays[..^1])} and {delays[^1]}";
        var total = DelayedRedelivery.Describe(options.Delays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay));
        return $"{inMemory}, then redelivered after {listed} (Worker:DelayedRedeliveries): for over {total}";
    }

    /// <summary>
    /// The message of a PostgresException in the chain whose SqlState says the data itself was refused, the same
    /// classes as PersistenceExtensions.IsPermanentDataError (a fault carries the exceptions' types and messages only).
    /// </summary>
    public static string? Refusal(ExceptionInfo? error)
    {
        for (var info = error; info is not null; info = info.InnerException)
        {
            if (info.ExceptionType == typeof(Npgsql.PostgresException).FullName
                && info.Message is { Length: > 2 } message && message[..2] is "22" or "23" or "54"
                && !message.StartsWith(Npgsql.PostgresErrorCodes.UniqueViolation, StringComparison.Ordinal)
                && !message.StartsWith(Npgsql.PostgresErrorCodes.ForeignKeyViolation, StringComparison.Ordinal))
            {
                return message;
            }
        }

        return null;
    }
}
