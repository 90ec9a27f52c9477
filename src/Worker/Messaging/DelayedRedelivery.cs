using System.Collections.Concurrent;
using System.Globalization;
using DocExtract.Contracts;
using DocExtract.Operations.Messaging;
using DocExtract.Persistence;
using DocExtract.Pipeline.Processing;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Options;
using DocExtract.Worker.Processing;
using RabbitMQ.Client;

namespace DocExtract.Worker.Messaging;

/// <summary>
/// Delayed redelivery of transient faults on a plain RabbitMQ (#16). MassTransit's own <c>UseDelayedRedelivery</c>
/// decides when to redeliver (after the in-memory retries, <c>Worker:DelayedRedeliveries</c> times, counting in its
/// MT-Redelivery-Count header) but sends through the delayed-message plugin's exchange, which RabbitMQ 3.10 lacks.
/// So its redelivery context is replaced: the message goes to a durable queue per delay that nobody consumes, whose
/// <c>x-message-ttl</c> and dead-letter settings put it back into the input queue, body and headers, when the delay
/// is over. The message is acknowledged meanwhile, so its concurrency slot is free, and it survives a worker restart.
/// See docs/libraries.md.
/// </summary>
public static class DelayedRedelivery
{
    /// <summary>
    /// Transient faults on <paramref name="endpoint"/>: <c>Worker:TransientRetries</c> in memory, then the delay queues.
    /// Data PostgreSQL refuses is refused again on every try (#15): neither retried nor delayed.
    /// </summary>
    public static void UseTransientFaultRetries<TMessage>(
        this IReceiveEndpointConfigurator endpoint, WorkerOptions options, IRegistrationContext context)
        where TMessage : class
    {
        if (options.Delays.Count > 0)
        {
            var queues = context.GetRequiredService<DelayQueues>();
            // In the message's own pipe, in this order: the filter that supplies the delay-queue context first, so
            // MassTransit's redelivery filter (GetOrAddPayload) finds it and not its delayed-exchange context; the
            // in-memory retries are added later (when the consumer is connected), so they run inside the redelivery.
            var pipe = new MessagePipe<TMessage>(endpoint);
            pipe.UseFilter(new DelayQueueFilter<TMessage>(queues, DelayQueues.QueueOf(endpoint.InputAddress)));
            pipe.UseDelayedRedelivery(redelivery =>
            {
                redelivery.Intervals([.. options.Delays]);
                redelivery.Ignore<Exception>(e => e.IsPermanentDataError());
            });
        }
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.TransientRetries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
            retry.Ignore<Exception>(e => e.IsPermanentDataError());
        });
    }

    /// <summary>The pipe of one message type on an endpoint, as MassTransit's typed extensions take it.</summary>
    private sealed class MessagePipe<TMessage>(IConsumePipeConfigurator endpoint) : IPipeConfigurator<ConsumeContext<TMessage>>
        where TMessage : class
    {
        public void AddPipeSpecification(MassTransit.Configuration.IPipeSpecification<ConsumeContext<TMessage>> specification) =>
            endpoint.AddPipeSpecification(specification);
    }

    /// <summary>"2 s", "1 min", "1 h 30 min": a delay as a person reads it.</summary>
    public static string Describe(TimeSpan delay)
    {
        var parts = new List<string>();
        if ((int)delay.TotalHours > 0)
        {
            parts.Add($"{(int)delay.TotalHours} h");
        }
        if (delay.Minutes > 0)
        {
            parts.Add($"{delay.Minutes} min");
        }
        if (delay.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(delay.Milliseconds > 0
                ? $"{(delay.Seconds + delay.Milliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)} s"
                : $"{delay.Seconds} s");
        }
        return string.Join(' ', parts);
    }
}

/// <summary>
/// The delay queues of each input queue this worker consumes, <c>QUEUE-delay-60s</c> for a delay of a minute: durable,
/// with <c>x-message-ttl</c> the delay and <c>x-dead-letter-exchange</c> "" / <c>x-dead-letter-routing-key</c> the
/// input queue, each bound to a fanout exchange of its own name, which is where MassTransit sends
/// (<c>exchange:NAME</c>, declared fanout and durable as here). One queue per delay, because a message's own TTL only
/// expires at the head of its queue. The name holds the delay, so a declare never meets the same queue with other
/// arguments, and declaring again is harmless.
/// </summary>
public sealed partial class DelayQueues(IOptions<WorkerOptions> options, RabbitMqOptions rabbit, WorkerMetrics metrics, ILogger<DelayQueues> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _declared = new(StringComparer.Ordinal);

    public IReadOnlyList<TimeSpan> Delays => options.Value.Delays;

    public static string Name(string inputQueue, TimeSpan delay)
    {
        var suffix = delay.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{(long)delay.TotalSeconds}s"
            : $"{(long)Math.Ceiling(delay.TotalMilliseconds)}ms";
        return $"{inputQueue}-delay-{suffix}";
    }

    /// <summary>The queue name of a receive endpoint's address (rabbitmq://host/vhost/NAME).</summary>
    public static string QueueOf(Uri inputAddress) => inputAddress.Segments[^1];

    /// <summary>Declares the delay queues of <paramref name="inputQueue"/> once per process; a failed declare is tried again next time.</summary>
    public async Task DeclareAsync(string inputQueue, CancellationToken cancellationToken)
    {
        var declaring = _declared.GetOrAdd(inputQueue, queue => new Lazy<Task>(() => DeclareOnceAsync(queue)));
        try
        {
            await declaring.Value.WaitAsync(cancellationToken);
        }
        catch when (declaring.Value.IsFaulted)
        {
            _declared.TryRemove(KeyValuePair.Create(inputQueue, declaring));
            throw;
        }
    }

    /// <summary>A message of <paramref name="documentId"/> went to <paramref name="delayQueue"/>: counted and logged.</summary>
    public void Waiting(string inputQueue, Guid? documentId, int redelivery, TimeSpan delay, string delayQueue)
    {
        metrics.Redelivered(inputQueue, redelivery);
        LogWaiting(logger, documentId, redelivery, Delays.Count, DelayedRedelivery.Describe(delay), DateTimeOffset.UtcNow.Add(delay), delayQueue);
    }

    private async Task DeclareOnceAsync(string inputQueue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await rabbit.ConnectAsync("docextract-worker-delay-queues", timeout.Token);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
        var names = new List<string>();
        foreach (var delay in Delays.Distinct())
        {
            var name = Name(inputQueue, delay);
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: timeout.Token);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
            {
                ["x-message-ttl"] = Math.Max(1L, (long)delay.TotalMilliseconds),
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = inputQueue,
            }, cancellationToken: timeout.Token);
            await channel.QueueBindAsync(name, name, "", cancellationToken: timeout.Token);
            names.Add(name);
        }
        LogDeclared(logger, inputQueue, string.Join(", ", names));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delay queues of {Queue} declared: {DelayQueues}")]
    private static partial void LogDeclared(ILogger logger, string queue, string delayQueues);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Document {DocumentId}: a fault of the service outlasted the in-memory retries; delayed redelivery {Redelivery} of {Redeliveries}: waiting {Delay} (until {Until:HH:mm:ss} UTC) in {DelayQueue}")]
    private static partial void LogWaiting(ILogger logger, Guid? documentId, int redelivery, int redeliveries, string delay, DateTimeOffset until, string delayQueue);
}

/// <summary>Declares the delay queues at start, trying again while RabbitMQ is away (a redelivery declares them too).</summary>
public sealed partial class DelayQueueDeclaration(DelayQueues queues, TierCascade cascade, RabbitMqOptions rabbit, ILogger<DelayQueueDeclaration> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (queues.Delays.Count == 0)
        {
            return;
        }
        var wait = TimeSpan.FromSeconds(1);
        foreach (var queue in new[] { QueueNames.ForTier(rabbit.ExtractQueue, cascade.Tier), ExtractDocumentFaultConsumer.QueueName(rabbit) })
        {
            while (true)
            {
                try
                {
                    await queues.DeclareAsync(queue, stoppingToken);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogNotYet(logger, queue, e.Message, wait.TotalSeconds);
                    await Task.Delay(wait, stoppingToken);
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delay queues of {Queue} not declared yet ({Error}); trying again in {Seconds} s")]
    private static partial void LogNotYet(ILogger logger, string queue, string error, double seconds);
}

/// <summary>Puts <see cref="DelayQueueRedelivery{TMessage}"/> where MassTransit's redelivery filter looks for its context.</summary>
public sealed class DelayQueueFilter<TMessage>(DelayQueues queues, string inputQueue) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        context.GetOrAddPayload<MessageRedeliveryContext>(() => new DelayQueueRedelivery<TMessage>(context, queues, inputQueue));
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("delayQueueRedelivery");
}

/// <summary>
/// Sends the message being consumed, as it came (body, message id, headers) with MT-Redelivery-Count one up, to the
/// delay queue of <paramref name="delay"/>; the redelivery filter then acknowledges it.
/// </summary>
public sealed class DelayQueueRedelivery<TMessage>(ConsumeContext<TMessage> context, DelayQueues queues, string inputQueue) : MessageRedeliveryContext
    where TMessage : class
{
    public async Task ScheduleRedelivery(TimeSpan delay, Action<ConsumeContext, SendContext>? callback = null)
    {
        await queues.DeclareAsync(inputQueue, context.CancellationToken);
        var queue = DelayQueues.Name(inputQueue, delay);
        var endpoint = await context.GetSendEndpoint(new Uri($"exchange:{queue}"));
        var redelivery = context.GetRedeliveryCount() + 1;
        var pipe = Pipe.Execute<SendContext<TMessage>>(send =>
        {
            send.ApplyRedeliveryOptions(context, RedeliveryOptions.None);
            callback?.Invoke(context, send);
        });
        await endpoint.Send(context.Message, new ForwardMessagePipe<TMessage>(context, pipe), context.CancellationToken);
        queues.Waiting(inputQueue, DocumentOf(context.Message), redelivery, delay, queue);
    }

    private static Guid? DocumentOf(TMessage message) => message switch
    {
        ExtractDocument command => command.DocumentId,
        Fault<ExtractDocument> fault => fault.Message.DocumentId,
        _ => null,
    };
}
