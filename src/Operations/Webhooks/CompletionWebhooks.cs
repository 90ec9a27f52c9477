using System.Text.Json;
using DocExtract.Contracts;
using DocExtract.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace DocExtract.Operations.Webhooks;

/// <summary>
/// The completion webhooks a document is owed when it reaches a terminal state (issue #6): its upload's callback and
/// its type's. They are added to the same unit of work as the state, so they commit with it or not at all; the API
/// sends them.
/// </summary>
public sealed class CompletionWebhooks(IOptions<WebhookOptions> options)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<WebhookDelivery> For(Document document, string schema, DateTimeOffset now)
    {
        var settings = options.Value;
        var urls = new List<string>();
        if (document.CallbackUrl is { } upload)
        {
            urls.Add(upload);
        }

        if (settings.SchemaCallbacks.TryGetValue(schema, out var perType) && !string.IsNullOrWhiteSpace(perType) && !urls.Contains(perType))
        {
            urls.Add(perType);
        }

        if (urls.Count == 0)
        {
            return [];
        }

        var body = JsonSerializer.Serialize(
            DocumentCompleted.For(document.Id, document.Status.ToWire(), schema, document.FileName, document.FailureReason, now), _json);
        return [.. urls.Select(url =>
        {
            // A per-type URL comes from the settings, not through the upload check: one that the allow-list refuses is
            // recorded as failed with the reason, so the operator sees it rather than nothing. The upload's callback was
            // judged by the API at upload, and is judged again by the API when it sends (issue #15): the worker does not
            // judge it a third time with a list that may differ.
            var refusal = url == document.CallbackUrl ? null : settings.Refusal(url) is { } why ? $"{WebhookDispatcher.RefusedPrefix}{why}" : null;
            return new WebhookDelivery
            {
                Id = Guid.NewGuid(),
                DocumentId = document.Id,
                Url = url,
                Payload = body,
                Status = refusal is null ? WebhookDeliveryStatus.Pending : WebhookDeliveryStatus.Failed,
                LastError = refusal,
                NextAttemptAt = now,
                CreatedAt = now,
                CompletedAt = refusal is null ? null : now,
            };
        })];
    }
}
