using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>The outbox's claims and clean-up (issue #2), which need SQL that LINQ cannot write.</summary>
public static class OutboxQueries
{
    /// <summary>
    /// Up to <paramref name="batchSize"/> unsent rows, oldest first, locked (and tracked, to be marked sent) until the
    /// transaction ends; rows another relay holds are skipped. SQL, not LINQ: EF has no FOR UPDATE SKIP LOCKED.
    /// </summary>
    public static Task<List<OutboxMessage>> ClaimOutboxBatchAsync(this DocExtractDbContext db, int batchSize, CancellationToken cancellationToken) =>
        db.Outbox
            .FromSqlInterpolated($"SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Deletes the unsent commands about a document; returns how many. SQL, not LINQ: the document id is inside the
    /// payload, jsonb mapped as a string, which LINQ cannot open with <c>-&gt;&gt;</c>.
    /// </summary>
    public static Task<int> DeleteUnsentOutboxForDocumentAsync(this DocExtractDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM outbox WHERE sent_at IS NULL AND payload->>'DocumentId' = {documentId.ToString()}", cancellationToken);
}
