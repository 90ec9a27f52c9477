using System.ComponentModel.DataAnnotations;
using DocExtract.Operations.Settings;
using System.Diagnostics.Metrics;
using DocExtract.Contracts;
using DocExtract.Operations.Messaging;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DocExtract.Api.Metrics;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>How often documents by status and the queue depth are counted for /metrics.</summary>
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Documents by status (from PostgreSQL), commands waiting in the outbox, and the extract queue's depth (from
/// RabbitMQ), counted every Metrics:SampleInterval in the background, so a scrape costs the servers nothing and
/// many scrapers cannot load them. Each API process reports the same totals: aggregate with max(), not sum().
/// </summary>
public sealed partial class DocumentMetrics : BackgroundService
{
    public const string MeterName = "DocExtract.Api";

    private readonly IServiceScopeFactory _scopes;
    private readonly RabbitMqOptions _rabbit;
    private readonly MetricsOptions _options;
    private readonly ILogger<DocumentMetrics> _logger;
    private volatile IReadOnlyList<Measurement<long>> _statuses = [];
    private volatile IReadOnlyList<Measurement<long>> _queue = [];
    private volatile IReadOnlyList<Measurement<long>> _outbox = [];
    private IConnection? _connection;

    public DocumentMetrics(IServiceScopeFactory scopes, IMeterFactory meters, IOptions<MetricsOptions> options,
        IConfiguration configuration, ILogger<DocumentMetrics> logger)
    {
        _scopes = scopes;
        _options = options.Value;
        _logger = logger;
        _rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("docextract.documents", () => _statuses, description: "Documents by status (queued, processing, succeeded, failed)");
        meter.CreateObservableGauge("docextract.queue.depth", () => _queue, description: "Messages ready in RabbitMQ's extract queue");
        meter.CreateObservableGauge("docextract.outbox.pending", () => _outbox, description: "Commands stored but not yet sent to RabbitMQ");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval);
        do
        {
            await SampleDatabaseAsync(stoppingToken);
            await SampleQueueAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DocExtractDbContext>();
            var counts = await db.Documents.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.LongCount() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
            _statuses = [.. Enum.GetValues<DocumentStatus>().Select(status =>
                new Measurement<long>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", status.ToWire())))];
            _outbox = [new(await db.Outbox.LongCountAsync(m => m.SentAt == null, cancellationToken))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stale figures would look healthy: report none until PostgreSQL answers again.
            _statuses = [];
            _outbox = [];
            LogSampleFailed(_logger, "PostgreSQL", e.Message);
        }
    }

    private async Task SampleQueueAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_connection is not { IsOpen: true })
            {
                _connection?.Dispose();
                _connection = await _rabbit.ConnectAsync("docextract-api-metrics", cancellationToken);
            }
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var depth = await channel.MessageCountAsync(_rabbit.ExtractQueue, cancellationToken);
            _queue = [new(depth, new KeyValuePair<string, object?>("queue", _rabbit.ExtractQueue))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Also when the queue does not exist yet (no worker has declared it).
            _queue = [];
            LogSampleFailed(_logger, "RabbitMQ", e.Message);
        }
    }

    public override void Dispose()
    {
        _connection?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics: {Server} could not be sampled: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string server, string reason);
}
