using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>One document of the review queue (#13): its type and its review reasons as JSON text.</summary>
public sealed record ReviewQueueRow(Guid Id, string FileName, DateTimeOffset CreatedAt, int? PageCount, string Type, string Reasons);

/// <summary>A value the review queue can be filtered by: <c>type</c> or <c>reason</c>.</summary>
public sealed record ReviewFacetRow(string Facet, string Value);

/// <summary>
/// A reviewed document as stored (#13): the newest review's data (the truth), the model's data and confidences from the
/// result that review started from, and (when asked for) that result's page texts for running another model.
/// </summary>
public sealed class ReviewedDocument
{
    public Guid DocumentId { get; init; }
    public Guid ResultId { get; init; }
    public int Version { get; init; }
    public DateTimeOffset ReviewedAt { get; init; }
    public string? SchemaVersion { get; init; }
    public string Truth { get; init; } = "null";
    public string? ModelData { get; init; }

    /// <summary>The result's confidence per JSON Pointer, as a JSON object.</summary>
    public string? Confidence { get; init; }

    /// <summary>The result's pages[] as JSON; null unless asked for.</summary>
    public string? Pages { get; init; }
}

/// <summary>
/// The review screen's queue and the evaluations' documents. SQL, not LINQ: they read parts of the results' jsonb
/// (the review reasons, the data, the fields' confidences) as text and filter on array elements inside it.
/// </summary>
public static class ReviewQueries
{
    /// <summary>The tenant's documents that need review, oldest or newest first, optionally of one type or with one reason.</summary>
    public static Task<List<ReviewQueueRow>> ReviewQueueAsync(this DocExtractDbContext db, string tenantId, string? type, string? reason,
        bool oldest, int limit, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ReviewQueueRow>($"""
            SELECT d.id AS "Id", d.file_name AS "FileName", d.created_at AS "CreatedAt", d.page_count AS "PageCount",
                   r.schema_name AS "Type", COALESCE(r.content -> 'review' -> 'reasons', '[]'::jsonb)::text AS "Reasons"
              FROM documents d JOIN results r ON r.id = d.current_extraction_id
             WHERE d.tenant_id = {tenantId} AND d.status = {DocumentStatus.NeedsReview.ToWire()} AND d.results_deleted_at IS NULL
               AND ({type ?? ""} = '' OR r.schema_name = {type ?? ""})
               AND ({reason ?? ""} = '' OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(r.content -> 'review' -> 'reasons', '[]'::jsonb)) x
                                                     WHERE x ->> 'kind' = {reason ?? ""}))
             ORDER BY CASE WHEN {oldest} THEN d.created_at END ASC, d.created_at DESC, d.id
             LIMIT {limit}
            """).ToListAsync(cancellationToken);

    /// <summary>The types and review reasons among the tenant's documents that need review.</summary>
    public static Task<List<ReviewFacetRow>> ReviewQueueFacetsAsync(this DocExtractDbContext db, string tenantId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ReviewFacetRow>($"""
            SELECT DISTINCT 'type' AS "Facet", r.schema_name AS "Value"
              FROM documents d JOIN results r ON r.id = d.current_extraction_id
             WHERE d.tenant_id = {tenantId} AND d.status = {DocumentStatus.NeedsReview.ToWire()} AND d.results_deleted_at IS NULL
            UNION
            SELECT DISTINCT 'reason', x ->> 'kind'
              FROM documents d JOIN results r ON r.id = d.current_extraction_id,
                   jsonb_array_elements(COALESCE(r.content -> 'review' -> 'reasons', '[]'::jsonb)) x
             WHERE d.tenant_id = {tenantId} AND d.status = {DocumentStatus.NeedsReview.ToWire()} AND d.results_deleted_at IS NULL
            """).ToListAsync(cancellationToken);

    /// <summary>
    /// The tenant's reviewed documents of one type, each once with its newest review as the truth, oldest review first,
    /// at most <paramref name="limit"/>; results read from an e-invoice's XML (#12) are left out. Times are UTC.
    /// </summary>
    public static Task<List<ReviewedDocument>> ReviewedDocumentsAsync(this DocExtractDbContext db, string tenant, string type,
        DateTimeOffset from, DateTimeOffset to, string version, bool withPages, int limit, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<ReviewedDocument>($"""
            SELECT v.document_id AS "DocumentId", v.result_id AS "ResultId", v.version AS "Version", v.reviewed_at AS "ReviewedAt",
                   r.content ->> 'schemaVersion' AS "SchemaVersion", v.data::text AS "Truth",
                   CASE WHEN jsonb_typeof(r.content -> 'data') IN ('object', 'array') THEN (r.content -> 'data')::text END AS "ModelData",
                   CASE WHEN jsonb_typeof(r.content -> 'fields') = 'array' THEN (
                       SELECT coalesce(jsonb_object_agg(f ->> 'pointer', f -> 'confidence'), jsonb_build_object())::text
                         FROM jsonb_array_elements(r.content -> 'fields') f
                        WHERE jsonb_typeof(f -> 'confidence') = 'number' AND f ->> 'pointer' IS NOT NULL) END AS "Confidence",
                   CASE WHEN {withPages} THEN (r.content -> 'pages')::text END AS "Pages"
              FROM (SELECT DISTINCT ON (document_id) * FROM reviews WHERE tenant_id = {tenant} ORDER BY document_id, version DESC) v
              JOIN documents d ON d.id = v.document_id AND d.tenant_id = {tenant}
              JOIN results r ON r.id = v.result_id AND r.document_id = v.document_id
             WHERE v.schema_name = {type}
               AND v.reviewed_at >= {from} AND v.reviewed_at < {to}
               AND ({version} = '' OR r.content ->> 'schemaVersion' = {version})
               AND coalesce(r.content ->> 'route', 'llm') <> 'embedded-xml'
             ORDER BY v.reviewed_at, v.document_id
             LIMIT {limit}
            """).ToListAsync(cancellationToken);
}
