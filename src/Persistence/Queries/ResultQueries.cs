using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>One row of a results export: the document, its result's data and rule outcomes as JSON text.</summary>
public sealed record ExportRow(
    Guid DocumentId, Guid ExtractionId, string FileName, string Status, DateTimeOffset CreatedAt, string? Data, string? Rules);

/// <summary>Reads of stored results that hand the jsonb on as text, without a round trip through entity types.</summary>
public static class ResultQueries
{
    /// <summary>
    /// The stored result of an extraction as PostgreSQL writes its jsonb, or null when there is none. SQL, not LINQ:
    /// the entity maps the content to a JsonDocument, and reading it that way would parse and write it out again.
    /// </summary>
    public static Task<string?> ReadResultJsonAsync(this DocExtractDbContext db, Guid extractionId, CancellationToken cancellationToken) =>
        db.Database
            .SqlQuery<string>($"SELECT content::text AS \"Value\" FROM results WHERE id = {extractionId}")
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// A tenant's results of one type in (created_at, id) order from a keyset position, for an export: only the data
    /// and the rules of each result leave the database, the page texts stay. SQL, not LINQ: LINQ cannot project a part
    /// of a jsonb column as text, nor compare Guids for the keyset.
    /// </summary>
    public static IQueryable<ExportRow> ExportRows(this DocExtractDbContext db, string schema, string tenantId,
        DateTimeOffset since, Guid after, DateTimeOffset until, int limit) =>
        db.Database.SqlQuery<ExportRow>($"""
            SELECT d.id AS "DocumentId", r.id AS "ExtractionId", d.file_name AS "FileName", d.status AS "Status",
                   r.created_at AS "CreatedAt",
                   -- A result approved on the review screen (#13) exports as approved: its newest reviewed version's data.
                   COALESCE((SELECT v.data FROM reviews v WHERE v.result_id = r.id ORDER BY v.version DESC LIMIT 1), r.content -> 'data')::text AS "Data",
                   (r.content -> 'rules')::text AS "Rules"
              FROM results r JOIN documents d ON d.id = r.document_id
             WHERE r.schema_name = {schema}
               AND d.tenant_id = {tenantId}
               AND d.results_deleted_at IS NULL
               AND (r.created_at > {since} OR (r.created_at = {since} AND r.id > {after}))
               AND r.created_at < {until}
             ORDER BY r.created_at, r.id
             LIMIT {limit}
            """);
}
