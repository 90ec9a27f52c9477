using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>The reads of the documents table that LINQ cannot write: row locks and keyset pages by id.</summary>
public static class DocumentQueries
{
    /// <summary>
    /// The tenant's document, its row locked until the transaction ends, or null. SQL, not LINQ: EF has no FOR UPDATE.
    /// </summary>
    public static Task<Document?> LockDocumentForUpdateAsync(
        this DocExtractDbContext db, Guid id, string tenantId, CancellationToken cancellationToken) =>
        db.Documents.FromSqlInterpolated($"SELECT * FROM documents WHERE id = {id} AND tenant_id = {tenantId} FOR UPDATE")
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The document's current extraction id (none when the document is gone), its row locked until the transaction
    /// ends, so a re-extraction commits either wholly before or wholly after. SQL, not LINQ: EF has no FOR UPDATE.
    /// </summary>
    public static Task<List<Guid>> LockCurrentExtractionIdAsync(this DocExtractDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        db.Database
            .SqlQuery<Guid>($"SELECT current_extraction_id AS \"Value\" FROM documents WHERE id = {documentId} FOR UPDATE")
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Up to <paramref name="pageSize"/> documents after <paramref name="after"/> in id order that still hold their
    /// original or their results: the pages retention walks. SQL, not LINQ: C# has no <c>&gt;</c> on Guid, which
    /// keyset paging by id needs. Composable: callers project and order it further.
    /// </summary>
    public static IQueryable<Document> RetainedDocumentsAfter(this DocExtractDbContext db, Guid after, int pageSize) =>
        db.Documents.FromSql(
            $"SELECT * FROM documents WHERE id > {after} AND (original_deleted_at IS NULL OR results_deleted_at IS NULL) ORDER BY id LIMIT {pageSize}");
}
