using System.Text.Json;
using DocExtract.Api.Usage;
using DocExtract.Persistence;
using DocExtract.Persistence.Queries;

namespace DocExtract.Api.Commands;

/// <summary>
/// <c>cost-report --tenant SLUG [--from DATE] [--to DATE] [--json]</c>: GET /usage/report on the command line, with the
/// cost model of the settings (Cost section). Exit code 0 with a report, 2 on bad arguments or settings.
/// </summary>
public static class CostReportCommand
{
    public const string Usage = "usage: DocExtract.Api cost-report --tenant SLUG [--from DATE] [--to DATE] [--json]";

    public static async Task<int> RunAsync(string[] args, string connectionString, CostOptions cost, TextWriter output, TextWriter errors)
    {
        string? tenant = null, from = null, to = null;
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tenant" when i + 1 < args.Length: tenant = args[++i]; break;
                case "--from" when i + 1 < args.Length: from = args[++i]; break;
                case "--to" when i + 1 < args.Length: to = args[++i]; break;
                case "--json": json = true; break;
                default:
                    await errors.WriteLineAsync($"unknown or incomplete argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        var (start, end, problem) = UsageApi.Period(from, to, TimeProvider.System);
        problem ??= tenant is null ? "--tenant is required" : null;
        problem ??= cost.Problems() is { Count: > 0 } settings ? $"the cost model's settings are invalid: {string.Join("; ", settings)}" : null;
        if (problem is not null)
        {
            await errors.WriteLineAsync($"{problem}\n{Usage}");
            return 2;
        }

        await using var db = PersistenceExtensions.CreateContext(connectionString);
        var totals = await db.SumUsageAsync(tenant!, start, end, UsageQueries.All, CancellationToken.None);
        var report = CostReport.Compute(totals[0], start, end, cost);
        await output.WriteLineAsync(json ? JsonSerializer.Serialize(report, JsonSerializerOptions.Web) : Text(report));
        return 0;
    }

    private static string Text(CostReportResult r)
    {
        var c = r.Currency;
        var lines = new List<string>
        {
            $"usage of tenant from {r.From:yyyy-MM-dd HH:mm} to {r.To:yyyy-MM-dd HH:mm} UTC",
            $"documents: {r.Documents} ({r.DocumentsPerMonth:0.#} a month at this volume)",
            $"tokens: {r.PromptTokensEvaluated} prompt evaluated, {r.PromptTokensReused} prompt reused from the cache, {r.GeneratedTokens} generated",
            $"own box: {r.BoxCostPerMonth:0.00} {c} a month ({r.HardwarePerMonth:0.00} hardware + {r.PowerPerMonth:0.00} power, busy {r.BusyShare:P1})"
                + (r.BoxCostPerDocument is { } d ? $", {d:0.0000} {c} per document" : ""),
        };
        if (r.CapacityDocumentsPerHour is { } capacity)
        {
            lines.Add($"capacity: {capacity:0.#} documents an hour, {r.CapacityDocumentsPerMonth:0} a month");
        }
        foreach (var cloud in r.Cloud)
        {
            lines.Add($"{cloud.Name} (price of {cloud.PriceAsOf}): {cloud.CostForPeriod:0.00} {c} for these tokens, {cloud.CostPerMonth:0.00} {c} a month");
        }
        lines.AddRange(r.Summary);
        return string.Join('\n', lines);
    }
}
