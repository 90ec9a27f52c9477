using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.Queries;

/// <summary>One group of usage rows summed: documents, tokens, stage seconds and busy worker-seconds.</summary>
public sealed class UsageTotals
{
    public string Key { get; init; } = "";
    public long Documents { get; init; }
    public long PromptTokensEvaluated { get; init; }
    public long PromptTokensReused { get; init; }
    public long GeneratedTokens { get; init; }
    public double TextSeconds { get; init; }
    public double LlmSeconds { get; init; }
    public double PersistSeconds { get; init; }

    /// <summary>Seconds the documents held a worker slot.</summary>
    public double SlotSeconds { get; init; }

    /// <summary>Seconds of whole workers they used: each row's slot-seconds divided by its worker's slots.</summary>
    public double WorkerSeconds { get; init; }
}

/// <summary>
/// The one query of the usage ledger: a tenant's rows in [from, to), grouped by a fixed key. SQL, not LINQ: the
/// grouping keys are SQL expressions (a UTC day, an enum as text) chosen at run time, and the sums divide per row.
/// </summary>
public static class UsageQueries
{
    // The grouping keys GET /usage accepts, and the SQL each stands for. Only these fixed texts reach the SQL.
    public static readonly IReadOnlyDictionary<string, string> Groupings = new Dictionary<string, string>
    {
        ["day"] = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        ["type"] = "document_type",
        ["tier"] = "tier::text",
        ["route"] = "route",
    };

    /// <summary>The grouping of <see cref="SumUsageAsync"/> that sums every row into one.</summary>
    public const string All = "all";

    public static Task<List<UsageTotals>> SumUsageAsync(
        this DocExtractDbContext db, string tenant, DateTimeOffset from, DateTimeOffset to, string groupBy, CancellationToken cancellationToken)
    {
        var (key, grouping) = groupBy == All ? ("'all'", "") : (Groupings[groupBy], "GROUP BY 1 ORDER BY 1");
        // A document a cascade of tiers read has a row per tier (#12): its extraction id counts it once.
        // Every query of the ledger is scoped to the caller's tenant here, the only place that reads it. The key and
        // grouping are fixed texts of this class; the tenant and the period are parameters.
        var sql = $$"""
            SELECT {{key}} AS "Key", count(DISTINCT id) AS "Documents",
                   coalesce(sum(prompt_tokens_evaluated), 0)::bigint AS "PromptTokensEvaluated",
                   coalesce(sum(prompt_tokens_reused), 0)::bigint AS "PromptTokensReused",
                   coalesce(sum(generated_tokens), 0)::bigint AS "GeneratedTokens",
                   coalesce(sum(text_ms), 0) / 1000 AS "TextSeconds",
                   coalesce(sum(llm_ms), 0) / 1000 AS "LlmSeconds",
                   coalesce(sum(persist_ms), 0) / 1000 AS "PersistSeconds",
                   coalesce(sum(slot_seconds), 0) AS "SlotSeconds",
                   coalesce(sum(slot_seconds / greatest(worker_slots, 1)), 0) AS "WorkerSeconds"
              FROM usage
             WHERE tenant_id = {0} AND created_at >= {1} AND created_at < {2}
             {{grouping}}
            """;
        return db.Database.SqlQueryRaw<UsageTotals>(sql, tenant, from.ToUniversalTime(), to.ToUniversalTime()).ToListAsync(cancellationToken);
    }
}
