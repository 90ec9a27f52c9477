using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using DocExtract.Persistence;
using DocExtract.Persistence.Tenancy;
using DocExtract.Schemas;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Operations.Evaluations;

/// <summary>Which reviewed documents an evaluation takes: one tenant's, of one type, optionally of one schema version and period.</summary>
public sealed record EvaluationFilter(string Tenant, string Type, string? Version, DateTimeOffset? From, DateTimeOffset? To, double TargetPrecision)
{
    /// <summary>The filter asked for (as GET /evaluations and `evaluate` take it), or why it cannot be.</summary>
    public static (EvaluationFilter? Filter, string? Problem) Parse(string tenant, string? type, string? version, string? from, string? to, string? precision)
    {
        DateTimeOffset? start = null, end = null;
        var target = Evaluation.DefaultTargetPrecision;
        string? problem = type switch
        {
            null or "" => "type is required: the document type whose reviewed documents are evaluated (e.g. invoice)",
            _ when DocumentTypeName.Problem(type) is { } bad => $"type: {bad}",
            _ => null,
        };
        problem ??= version is not null && (version.Length != 64 || !version.All(char.IsAsciiHexDigitLower))
            ? $"version must be a schema version: 64 lowercase hex digits (the schemaVersion of a result); got '{version}'"
            : null;
        problem ??= from is not null && !TryParseInstant(from, out start)
            ? $"from must be an ISO 8601 date or instant (e.g. 2026-11-01 or 2026-11-01T00:00:00Z); got '{from}'"
            : null;
        problem ??= to is not null && !TryParseInstant(to, out end)
            ? $"to must be an ISO 8601 date or instant (e.g. 2026-11-30 or 2026-11-30T12:00:00Z); got '{to}'"
            : null;
        problem ??= start is not null && end is not null && start >= end ? $"from ({start:O}) must be before to ({end:O})" : null;
        problem ??= precision is not null && (!double.TryParse(precision, NumberStyles.Float, CultureInfo.InvariantCulture, out target)
            || !(target > 0 && target <= 1))
            ? $"precision must be a number above 0 and at most 1 (the share of unreviewed values that must be right); got '{precision}'"
            : null;
        return problem is null ? (new EvaluationFilter(tenant, type!, version, start, end, target), null) : (null, problem);
    }

    private static bool TryParseInstant(string text, out DateTimeOffset? value)
    {
        var parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant);
        value = parsed ? instant : null;
        return parsed;
    }
}

/// <summary>
/// A reviewed document as stored: the newest review's data (the truth), the model's data and confidences from the
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

    /// <summary>The stored model output against the truth.</summary>
    public EvaluatedDocument ToEvaluated() => new(DocumentId,
        ModelData is null ? null : JsonSerializer.Deserialize<JsonElement>(ModelData),
        Confidence is null ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(Confidence)!,
        JsonSerializer.Deserialize<JsonElement>(Truth));
}

/// <summary>
/// The one query of an evaluation's documents. Every reviewed document counts once, with the newest version of its
/// review as the truth; only the tenant's own reviews, of documents the tenant owns, are read. Results whose data came
/// from an e-invoice's XML (#12) say nothing about a model and are left out.
/// </summary>
public static class ReviewedDocuments
{
    /// <summary>At most <paramref name="maxDocuments"/>, oldest review first; <c>TooMany</c> when more match.</summary>
    public static async Task<(IReadOnlyList<ReviewedDocument> Documents, bool TooMany)> LoadAsync(
        DocExtractDbContext db, EvaluationFilter filter, int maxDocuments, bool withPages, CancellationToken cancellationToken)
    {
        // PostgreSQL keeps timestamptz as UTC microseconds; Npgsql takes only offset-0 values for it.
        var from = filter.From?.ToUniversalTime() ?? DateTimeOffset.MinValue;
        var to = filter.To?.ToUniversalTime() ?? DateTimeOffset.MaxValue;
        var version = filter.Version ?? "";
        var tenant = filter.Tenant;
        var rows = await db.Database.SqlQuery<ReviewedDocument>($"""
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
             WHERE v.schema_name = {filter.Type}
               AND v.reviewed_at >= {from} AND v.reviewed_at < {to}
               AND ({version} = '' OR r.content ->> 'schemaVersion' = {version})
               AND coalesce(r.content ->> 'route', 'llm') <> 'embedded-xml'
             ORDER BY v.reviewed_at, v.document_id
             LIMIT {maxDocuments + 1}
            """).ToListAsync(cancellationToken);
        return rows.Count > maxDocuments ? (rows[..maxDocuments], true) : (rows, false);
    }

    /// <summary>The sentence for more matching documents than <see cref="EvaluationOptions.MaxDocuments"/> allows.</summary>
    public static string TooManyProblem(int maxDocuments) =>
        $"more than {maxDocuments} reviewed documents match (Evaluations:MaxDocuments): narrow the period with from and to, " +
        "or raise the setting";

    /// <summary>The tenant slug rule, for the command line's --tenant.</summary>
    public static string? TenantProblem(string tenant) =>
        Tenants.IsValidSlug(tenant) ? null : $"'{tenant}' is not a tenant slug: lowercase letters, digits and '-', 1 to 63 characters";
}

/// <summary>The Evaluations settings section, read by the API and `evaluate`.</summary>
public sealed class EvaluationOptions
{
    public const string Section = "Evaluations";

    /// <summary>The most reviewed documents one evaluation reads; more is refused before any is compared.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDocuments { get; set; } = 10_000;
}
