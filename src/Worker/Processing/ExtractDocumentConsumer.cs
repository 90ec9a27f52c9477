using DocExtract.Contracts;
using MassTransit;

namespace DocExtract.Worker.Processing;

/// <summary>Thin by design: retry, concurrency and redelivery live in the definition, the work in the processor.</summary>
public sealed class ExtractDocumentConsumer(DocumentProcessor processor) : IConsumer<ExtractDocument>
{
    public Task Consume(ConsumeContext<ExtractDocument> context) =>
        processor.ProcessAsync(context.Message, context.CancellationToken);
}

/// <summary>
/// Transient faults (PostgreSQL or RabbitMQ away) are retried with exponential backoff; a fault of the document
/// itself never reaches here, the processor fails the document at once. When the retries run out, the fault
/// consumer below marks the document failed so it never waits forever.
/// </summary>
public sealed class ExtractDocumentConsumerDefinition : ConsumerDefinition<ExtractDocumentConsumer>
{
    private readonly WorkerOptions _options;

    public ExtractDocumentConsumerDefinition(
        Microsoft.Extensions.Options.IOptions<WorkerOptions> options, Microsoft.Extensions.Options.IOptions<Extraction.LlmOptions> llm)
    {
        _options = options.Value;
        // The LLM's slots only fill when as many documents are in flight (#5).
        ConcurrentMessageLimit = _options.EffectiveConcurrency(llm.Value.MaxSequences);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ExtractDocumentConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(
            _options.TransientRetries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
    }
}

public sealed class ExtractDocumentFaultConsumer(DocumentProcessor processor, ILogger<ExtractDocumentFaultConsumer> logger)
    : IConsumer<Fault<ExtractDocument>>
{
    public async Task Consume(ConsumeContext<Fault<ExtractDocument>> context)
    {
        using var scope = logger.BeginScope("Document {DocumentId} extraction {ExtractionId}", context.Message.Message.DocumentId, context.Message.Message.ExtractionId);
        var error = context.Message.Exceptions.FirstOrDefault()?.Message ?? "unknown error";
        await processor.GiveUpAsync(context.Message.Message,
            $"processing kept failing with a fault of the service, not of the document ({error}); re-extract it once the service is healthy",
            context.CancellationToken);
    }
}
