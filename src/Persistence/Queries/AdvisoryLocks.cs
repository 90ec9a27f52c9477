using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>
/// The transaction-scoped advisory locks, all in one place so their keys cannot collide. Each is held until the
/// caller's transaction ends. SQL, not LINQ: EF has no way to call pg_advisory_xact_lock, and a lock guards rows
/// that do not exist yet, which no row lock (FOR UPDATE) can.
/// </summary>
public static class AdvisoryLocks
{
    // An arbitrary constant naming the audit trail's lock among PostgreSQL's advisory locks.
    private const long AuditChain = 0x0D0C_A0D1_7000_0001;

    /// <summary>
    /// Serialises intake and deletion of the same bytes: without it a deletion could remove a shared file just as a new
    /// upload of those bytes found it present and skipped storing it. Taken before the audit chain's lock, always in that order.
    /// </summary>
    public static Task LockFileAsync(this DocExtractDbContext db, string sha256, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({sha256}, 7))", cancellationToken);

    /// <summary>
    /// Requests with one Idempotency-Key of one API key wait for each other here, so the one that comes second (or
    /// loses a race) finds the first's document instead of failing on the unique index.
    /// </summary>
    public static Task LockIdempotencyKeyAsync(
        this DocExtractDbContext db, string tenantId, string? keyId, string key, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(hashtextextended({$"{tenantId}\n{keyId}\n{key}"}, 11))", cancellationToken);

    /// <summary>Serialises appends to the hash-chained audit trail, so two appends never take the same predecessor.</summary>
    public static Task LockAuditChainAsync(this DocExtractDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChain})", cancellationToken);
}
