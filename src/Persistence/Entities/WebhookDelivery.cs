namespace DocExtract.Persistence.Entities;

/// <summary>
/// One completion webhook to send (issue #6). The worker writes it in the transaction that gives the document its
/// terminal state, and the API's dispatcher sends it, retrying with backoff: a row survives restarts of either, so a
/// callback is neither lost nor (short of a crash between the POST and its bookkeeping) sent twice.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public required string Url { get; init; }

    /// <summary>The exact JSON body sent on every attempt, so the signature covers the same bytes each time.</summary>
    public required string Payload { get; init; }

    /// <summary><see cref="WebhookDeliveryStatus"/>: pending, delivered or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
