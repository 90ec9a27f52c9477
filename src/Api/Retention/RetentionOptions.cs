using System.ComponentModel.DataAnnotations;
using DocExtract.Operations.Settings;

namespace DocExtract.Api.Retention;

/// <summary>How long originals and results are kept; null keeps them forever.</summary>
public sealed class RetentionPeriods
{
    public int? OriginalsDays { get; set; }
    public int? ResultsDays { get; set; }

    /// <summary>Overrides per document type (only under Tenants:&lt;slug&gt;).</summary>
    public Dictionary<string, RetentionPeriods> Types { get; set; } = [];
}

/// <summary>
/// Retention per tenant and document type (issue #7). The most specific setting wins, field by field:
/// Tenants:&lt;slug&gt;:Types:&lt;type&gt;, then Tenants:&lt;slug&gt;, then Types:&lt;type&gt;, then Default.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How often the retention service looks for expired documents.</summary>
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public RetentionPeriods Default { get; set; } = new();
    public Dictionary<string, RetentionPeriods> Types { get; set; } = [];
    public Dictionary<string, RetentionPeriods> Tenants { get; set; } = [];

    public (int? OriginalsDays, int? ResultsDays, string Rule) For(string tenant, string type)
    {
        var tenantRule = Tenants.GetValueOrDefault(tenant);
        var tenantTypeRule = tenantRule?.Types.GetValueOrDefault(type);
        var typeRule = Types.GetValueOrDefault(type);
        var chain = new (RetentionPeriods? Periods, string Name)[]
        {
            (tenantTypeRule, $"Retention:Tenants:{tenant}:Types:{type}"), (tenantRule, $"Retention:Tenants:{tenant}"),
            (typeRule, $"Retention:Types:{type}"), (Default, "Retention:Default"),
        };
        var originals = chain.FirstOrDefault(r => r.Periods?.OriginalsDays is not null);
        var results = chain.FirstOrDefault(r => r.Periods?.ResultsDays is not null);
        return (originals.Periods?.OriginalsDays, results.Periods?.ResultsDays,
            string.Join(", ", new[] { originals.Name, results.Name }.Where(n => n is not null).Distinct()));
    }
}
