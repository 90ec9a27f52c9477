using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Audit;

/// <summary>What the audit trail records; <see cref="AuditActions"/> names the actions.</summary>
public sealed record AuditEntry(string TenantId, string Actor, string? KeyId, string Action, Guid? DocumentId, string? Remote, object? Details = null)
{
    public static AuditEntry By(Caller caller, string action, Guid? documentId, object? details = null) =>
        new(caller.TenantId, caller.Actor, caller.KeyId, action, documentId, caller.Remote, details);
}

public static class AuditActions
{
    public const string Upload = "document.uploaded";
    public const string ReadFile = "document.file-read";
    public const string ReadResult = "document.result-read";
    public const string Export = "results.exported";
    public const string Reextract = "document.re-extracted";
    public const string SchemaChange = "schema.changed";
    public const string SchemaDeleted = "schema.deleted";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string Deleted = "document.deleted";
    public const string OriginalDeleted = "document.original-deleted";
    public const string ResultsDeleted = "document.results-deleted";
    public const string Reviewed = "document.reviewed";
    public const string ReviewSignIn = "review.signed-in";
}

/// <summary>
/// Appends to the hash-chained audit trail. Appends are serialised by a transaction-scoped advisory lock, so two
/// appends can never both take the same predecessor and fork the chain; inside the caller's transaction when it has
/// one (the record then commits or rolls back with the change it describes), in a transaction of its own otherwise.
/// </summary>
public sealed class AuditLog(DocExtractDbContext db, TimeProvider clock)
{
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await db.LockAuditChainAsync(cancellationToken);
            var last = await db.AuditLog.AsNoTracking().OrderByDescending(r => r.Sequence)
                .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(cancellationToken);
            var sequence = (last?.Sequence ?? 0) + 1;
            var previous = last?.Hash ?? AuditChain.Genesis;
            var at = AuditChain.ToMicroseconds(clock.GetUtcNow());
            var details = AuditChain.Canonical(entry.Details);
            var record = new AuditRecord
            {
                Sequence = sequence,
                At = at,
                TenantId = entry.TenantId,
                Actor = entry.Actor,
                KeyId = entry.KeyId,
                Action = entry.Action,
                DocumentId = entry.DocumentId,
                Remote = entry.Remote,
                Details = details,
                PreviousHash = previous,
                Hash = AuditChain.HashOf(sequence, at, entry.TenantId, entry.Actor, entry.KeyId, entry.Action, entry.DocumentId,
                    entry.Remote, details, previous),
            };
            db.AuditLog.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            db.Entry(record).State = EntityState.Detached;
            return record;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }
}
