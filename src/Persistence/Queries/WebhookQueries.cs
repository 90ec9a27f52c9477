using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>The webhook dispatcher's claim on due deliveries (issue #6).</summary>
public static class WebhookQueries
{
    /// <summary>
    /// Up to <paramref name="batchSize"/> pending deliveries due at <paramref name="now"/>, claimed by pushing their next
    /// attempt to <paramref name="lease"/>: another process skips them, and picks them up should this one die before
    /// the lease runs out. SQL, not LINQ: the claim is one UPDATE ... RETURNING over rows chosen FOR UPDATE SKIP LOCKED,
    /// none of which EF can write.
    /// </summary>
    public static Task<List<WebhookDelivery>> ClaimDueWebhookDeliveriesAsync(
        this DocExtractDbContext db, DateTimeOffset now, DateTimeOffset lease, int batchSize, CancellationToken cancellationToken) =>
        db.WebhookDeliveries.FromSqlInterpolated($"""
            UPDATE webhook_deliveries SET next_attempt_at = {lease}
             WHERE id IN (SELECT id FROM webhook_deliveries
                           WHERE status = {WebhookDeliveryStatus.Pending} AND next_attempt_at <= {now}
                           ORDER BY next_attempt_at LIMIT {batchSize} FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
}
