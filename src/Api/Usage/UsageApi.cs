using System.Globalization;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Usage;

public sealed record UsageResponse(DateTimeOffset From, DateTimeOffset To, string GroupBy, IReadOnlyList<UsageTotals> Groups);

/// <summary>GET /usage and GET /usage/report: the caller's tenant's usage ledger and its cost, for admin keys (issue #12).</summary>
public static class UsageApi
{
    /// <summary>The period when none is given: the 30 days up to now.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/usage").WithTags("Usage").RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListAsync);
        group.MapGet("/report", ReportAsync);
        return app;
    }

    public static async Task<Results<Ok<UsageResponse>, ProblemHttpResult>> ListAsync(
        Caller caller, DocExtractDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        string? from = null, string? to = null, string groupBy = "day")
    {
        if (!UsageQueries.Groupings.ContainsKey(groupBy))
        {
            return Problems.BadRequest($"groupBy must be one of {string.Join(", ", UsageQueries.Groupings.Keys)}; got '{groupBy}'");
        }
        var (start, end, problem) = Period(from, to, clock);
        if (problem is not null)
        {
            return Problems.BadRequest(problem);
        }
        var groups = await db.SumUsageAsync(caller.TenantId, start, end, groupBy, cancellationToken);
        return TypedResults.Ok(new UsageResponse(start, end, groupBy, groups));
    }

    public static async Task<Results<Ok<CostReportResult>, ProblemHttpResult>> ReportAsync(
        Caller caller, DocExtractDbContext db, TimeProvider clock, IOptions<CostOptions> cost, CancellationToken cancellationToken,
        string? from = null, string? to = null)
    {
        var (start, end, problem) = Period(from, to, clock);
        if (problem is not null)
        {
            return Problems.BadRequest(problem);
        }
        if (cost.Value.Problems() is { Count: > 0 } problems)
        {
            return Problems.BadRequest($"the cost model's settings are invalid: {string.Join("; ", problems)}");
        }
        var totals = await db.SumUsageAsync(caller.TenantId, start, end, UsageQueries.All, cancellationToken);
        return TypedResults.Ok(CostReport.Compute(totals[0], start, end, cost.Value));
    }

    /// <summary>The period [from, to) asked for: ISO 8601 dates or instants, by default the 30 days up to now.</summary>
    public static (DateTimeOffset From, DateTimeOffset To, string? Problem) Period(string? from, string? to, TimeProvider clock)
    {
        DateTimeOffset end = clock.GetUtcNow(), start;
        if (to is not null && !TryParse(to, out end))
        {
            return (default, default, $"to must be an ISO 8601 date or instant (e.g. 2026-11-30 or 2026-11-30T12:00:00Z); got '{to}'");
        }
        if (from is null)
        {
            start = end - DefaultPeriod;
        }
        else if (!TryParse(from, out start))
        {
            return (default, default, $"from must be an ISO 8601 date or instant (e.g. 2026-11-01 or 2026-11-01T00:00:00Z); got '{from}'");
        }
        return start < end ? (start, end, null) : (default, default, $"from ({start:O}) must be before to ({end:O})");
    }

    private static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
