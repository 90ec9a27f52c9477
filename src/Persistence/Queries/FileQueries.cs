using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>
/// The content-addressed file store: the same bytes are stored once, shared by every document that holds them, and
/// never rewritten. Both statements run under <see cref="AdvisoryLocks.LockFileAsync"/>.
/// </summary>
public static class FileQueries
{
    /// <summary>
    /// Stores the bytes unless a row with their SHA-256 exists. SQL, not LINQ: EF has no INSERT ... ON CONFLICT DO
    /// NOTHING, and adding the entity would fail the whole unit of work on the key it shares with an earlier upload.
    /// </summary>
    public static Task<int> InsertFileIfAbsentAsync(
        this DocExtractDbContext db, string sha256, byte[] content, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO files (sha256, content, size_bytes, created_at) VALUES ({sha256}, {content}, {content.LongLength}, {now}) ON CONFLICT (sha256) DO NOTHING",
            cancellationToken);

    /// <summary>
    /// Deletes the stored file unless a document still holding its original refers to it: the check and the delete in
    /// one statement, without reading the bytes. ExecuteDeleteAsync with a correlated Any could say the same; it stays
    /// the SQL that the file lock's reasoning (DocumentConfiguration, files) was written against.
    /// </summary>
    public static Task<int> DeleteFileIfUnusedAsync(this DocExtractDbContext db, string sha256, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM files f WHERE f.sha256 = {sha256} AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.file_sha256 = f.sha256 AND d.original_deleted_at IS NULL)",
            cancellationToken);
}
