using System.Globalization;
using System.Text;
using DocExtract.Operations.Polling;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DocExtract.Operations.Webhooks;

/// <summary>
/// Sends the completion webhooks the worker recorded (issue #6), retrying with exponential backoff. A batch is
/// claimed by pushing its rows' next attempt past the send timeout (FOR UPDATE SKIP LOCKED), so several API processes
/// share the table and a process that dies mid-send leaves rows that another picks up when the lease runs out.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IHttpClientFactory clients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string ClientName = "webhooks";
    private const int BatchSize = 20;

    // The database is away: the rows wait in it, so there is nothing to lose by waiting too.
    private static readonly Backoff _passFailed = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new PollingLoop(options.Value.PollInterval, _passFailed, clock).RunAsync(
            async cancellationToken =>
            {
                while (await SendDueAsync(cancellationToken) == BatchSize)
                {
                }
            },
            (e, _) => LogPassFailed(logger, e),
            stoppingToken);

    private async Task<int> SendDueAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DocExtractDbContext>();
        var now = clock.GetUtcNow();
        var lease = now + settings.Timeout * 2;
        var due = await db.ClaimDueWebhookDeliveriesAsync(now, lease, BatchSize, stoppingToken);

        foreach (var delivery in due)
        {
            var error = await SendAsync(delivery, settings, stoppingToken);
            var attempts = delivery.Attempts + 1;
            var done = clock.GetUtcNow();
            if (error is null)
            {
                await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.Status, WebhookDeliveryStatus.Delivered)
                    .SetProperty(d => d.Attempts, attempts)
                    .SetProperty(d => d.CompletedAt, done)
                    .SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
                LogDelivered(logger, delivery.Id, delivery.DocumentId, attempts);
            }
            else if (attempts >= settings.MaxAttempts || error.Refused)
            {
                await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
                    .SetProperty(d => d.Attempts, attempts)
                    .SetProperty(d => d.CompletedAt, done)
                    .SetProperty(d => d.LastError, error.Stored), CancellationToken.None);
                LogGaveUp(logger, delivery.Id, delivery.DocumentId, attempts, error.Message);
            }
            else
            {
                var next = done + RetryDelay(attempts, settings);
                await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.Attempts, attempts)
                    .SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.LastError, error.Stored), CancellationToken.None);
                LogRetrying(logger, delivery.Id, attempts, error.Message, next);
            }
        }

        return due.Count;
    }

    /// <summary>Wait after the given number of failed attempts: the base delay doubling, capped.</summary>
    public static TimeSpan RetryDelay(int failedAttempts, WebhookOptions settings) =>
        new Backoff(settings.RetryBaseDelay, settings.MaxRetryDelay).After(failedAttempts);

    private async Task<SendError?> SendAsync(WebhookDelivery delivery, WebhookOptions settings, CancellationToken stoppingToken)
    {
        // The allow-list is asked again at send time: an operator who takes a host off it stops its deliveries too.
        if (settings.Refusal(delivery.Url) is { } refusal)
        {
            return new SendError(refusal, Refused: true);
        }

        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(settings.Secret, timestamp, delivery.Payload));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookSignature.AttemptHeader, (delivery.Attempts + 1).ToString(CultureInfo.InvariantCulture));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode
                ? null
                : new SendError($"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}", Refused: false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return new SendError($"no answer within {settings.Timeout.TotalSeconds:0.#} s", Refused: false);
        }
        catch (HttpRequestException e)
        {
            return new SendError($"cannot reach the receiver: {e.Message}", Refused: false);
        }
    }

    /// <summary>
    /// Why an attempt failed: <see cref="Message"/> (status code, refused connection, timeout) goes to the operator's
    /// log only. The stored error says just "refused by the allow-list" or "delivery failed": what a receiver's port
    /// answered must not be readable back from the table as a port scan of the allowed hosts (issue #15).
    /// </summary>
    private sealed record SendError(string Message, bool Refused)
    {
        public string Stored => Refused ? $"{RefusedPrefix}{Message}" : FailedText;
    }

    public const string RefusedPrefix = "refused by the allow-list: ";
    public const string FailedText = "delivery failed (the API's log has the reason)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} for document {DocumentId} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, Guid deliveryId, Guid documentId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} attempt {Attempt} failed ({Error}); next attempt at {Next:O}")]
    private static partial void LogRetrying(ILogger logger, Guid deliveryId, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {DeliveryId} for document {DocumentId} given up after {Attempts} attempt(s): {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid deliveryId, Guid documentId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook pass failed; trying again shortly")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
