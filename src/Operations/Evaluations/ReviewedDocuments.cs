using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using DocExtract.Persistence;
using DocExtract.Persistence.Queries;
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

/// <summary>A reviewed document's stored model output against its truth.</summary>
public static class ReviewedDocumentEvaluation
{
    public static EvaluatedDocument ToEvaluated(this ReviewedDocument document) => new(document.DocumentId,
        document.ModelData is null ? null : JsonSerializer.Deserialize<JsonElement>(document.ModelData),
        document.Confidence is null ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(document.Confidence)!,
        JsonSerializer.Deserialize<JsonElement>(document.Truth));
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
        var rows = await db.ReviewedDocumentsAsync(tenant, filter.Type, from, to, version, withPages, maxDocuments + 1, cancellationToken);
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
