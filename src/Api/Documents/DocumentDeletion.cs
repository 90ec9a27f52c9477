using DocExtract.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

/// <summary>
/// Deletes a document, its results, its unsent commands and, when no other document shares the same bytes,
/// its stored file: all in one transaction. A command already on the queue finds no document and is dropped.
/// </summary>
public sealed class DocumentDeletion(DocExtractDbContext db)
{
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var document = await db.Documents
            .FromSqlInterpolated($"SELECT * FROM documents WHERE id = {id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (document is null)
        {
            return false;
        }

        await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM outbox WHERE sent_at IS NULL AND payload->>'DocumentId' = {id.ToString()}", cancellationToken);
        await db.Results.Where(r => r.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Documents.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        // Lock the file row so a concurrent upload of the same bytes either sees it or re-inserts it afterwards.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM files f WHERE f.sha256 = {document.FileSha256} AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.file_sha256 = f.sha256)",
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
