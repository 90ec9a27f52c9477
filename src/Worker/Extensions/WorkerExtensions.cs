using DocExtract.Operations.Settings;
using DocExtract.Contracts;
using DocExtract.Operations;
using DocExtract.Operations.Outbox;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence;
using DocExtract.Pipeline;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Worker.Messaging;
using DocExtract.Worker.Processing;
using MassTransit;

namespace DocExtract.Worker.Extensions;

public static class WorkerExtensions
{
    public static HostApplicationBuilder AddDocExtractWorker(this HostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSettings<WorkerOptions>(configuration, WorkerOptions.Section)
            .PostConfigure(options => options.Configure(configuration.GetSection(WorkerOptions.Section)));
        var worker = configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        // The tier this worker serves (#12): its Llm:Tiers:N settings over Llm:*, and its own queue.
        var cascade = TierCascade.From(configuration, rabbit.ExtractQueue);
        var llm = TierCascade.LlmOptionsFor(configuration, cascade.Tier);

        services.AddDocExtractOperations(configuration, WorkerMetrics.MeterName);
        services.AddHealthChecks().AddCheck<LlmHealthCheck>("model", tags: [Operations.Management.OperationsEndpoints.ReadyTag]);
        services.AddDocExtractPipeline(configuration);
        services.Configure<LlmOptions>(options => TierCascade.Overlay(options, configuration, cascade.Tier));
        services.AddSingleton(cascade);
        // The worker relays what it puts in the outbox (the next tier's commands) itself, so a cascade runs with
        // workers alone; beside the API's relay, rows are claimed with SKIP LOCKED and sent once.
        services.AddSettings<OutboxOptions>(configuration, OutboxOptions.Section);
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxRelay>();
        services.AddDocExtractPersistence(configuration.GetPostgresConnectionString());
        services.AddSingleton<CompletionWebhooks>();
        services.AddSingleton<UsageRecorder>();
        services.AddScoped<DocumentProcessor>();
        services.AddHostedService<TextStageStartup>();
        services.AddHostedService<LlmStartup>();
        // Transient faults wait out an outage in RabbitMQ's delay queues (#16).
        services.AddSingleton(rabbit);
        services.AddSingleton<DelayQueues>();
        services.AddHostedService<DelayQueueDeclaration>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<ExtractDocumentConsumer, ExtractDocumentConsumerDefinition>();
            bus.AddConsumer<ExtractDocumentFaultConsumer, ExtractDocumentFaultConsumerDefinition>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                });
                cfg.ReceiveEndpoint(QueueNames.ForTier(rabbit.ExtractQueue, cascade.Tier), endpoint =>
                {
                    endpoint.PrefetchCount = worker.EffectivePrefetch(llm.MaxSequences);
                    endpoint.ConfigureConsumer<ExtractDocumentConsumer>(context);
                });
                cfg.ReceiveEndpoint(ExtractDocumentFaultConsumer.QueueName(rabbit), endpoint =>
                    endpoint.ConfigureConsumer<ExtractDocumentFaultConsumer>(context));
            });
        });
        return builder;
    }
}
