using System.Text.Json;
using DocExtract.Contracts;
using DocExtract.Operations.Polling;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DocExtract.Operations.Outbox;

/// <summary>
/// Sends committed outbox rows to RabbitMQ and marks them sent. Rows are claimed with FOR UPDATE SKIP LOCKED,
/// so several API processes can relay side by side. A crash after sending but before marking sends the
/// command again; the worker keys its result by the extraction id, so that second delivery is harmless.
/// </summary>
public sealed partial class OutboxRelay(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    // The database or the broker is away: back off (1, 2, 4 … 30 s) and keep the rows for later.
    private static readonly Backoff _relayFailed = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
        {
            LogRelayDisabled(logger);
            return Task.CompletedTask;
        }

        return new PollingLoop(options.Value.PollInterval, _relayFailed, clock, signal).RunAsync(
            async cancellationToken =>
            {
                int sent;
                do
                {
                    sent = await RelayBatchAsync(cancellationToken);
                } while (sent == options.Value.BatchSize);
            },
            (e, delay) => LogRelayFailed(logger, e, delay.TotalSeconds),
            stoppingToken);
    }

    private async Task<int> RelayBatchAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DocExtractDbContext>();
        var sender = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();

        // A pass takes milliseconds: its database work finishes even when the host is stopping (cancelling a
        // commit half-way only earns an error in the log); the send, which can hang while the broker is away,
        // is what the stop cancels. A row sent but not marked is sent again, which the worker shrugs off.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var batch = await db.ClaimOutboxBatchAsync(options.Value.BatchSize, CancellationToken.None);
        foreach (var row in batch)
        {
            var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{row.Destination}"));
            await endpoint.Send(Deserialize(row), context => context.MessageId = row.MessageId, stoppingToken);
            row.SentAt = clock.GetUtcNow();
            row.Attempts++;
        }
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        if (batch.Count > 0)
        {
            LogRelayed(logger, batch.Count);
        }
        return batch.Count;
    }

    private static ExtractDocument Deserialize(OutboxMessage row) => row.MessageType switch
    {
        nameof(ExtractDocument) => JsonSerializer.Deserialize<ExtractDocument>(row.Payload)
            ?? throw new InvalidOperationException($"outbox row {row.Id} holds an empty payload"),
        _ => throw new InvalidOperationException($"outbox row {row.Id} has unknown message type '{row.MessageType}'"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay disabled in this process (Outbox:RelayEnabled=false)")]
    private static partial void LogRelayDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed; retrying in {DelaySeconds} s")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox relay sent {Count} command(s)")]
    private static partial void LogRelayed(ILogger logger, int count);
}
