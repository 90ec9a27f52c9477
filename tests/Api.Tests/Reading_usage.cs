using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Commands;
using DocExtract.Api.Usage;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Api.Tests;

/// <summary>GET /usage and GET /usage/report (issue #12) on usage rows of known figures.</summary>
public sealed class Reading_usage(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Sums_the_tenants_rows_of_the_period_by_each_grouping()
    {
        var tenant = $"use-{Guid.NewGuid():N}"[..20];
        using var admin = await api.CreateClientAsync(tenant, ApiRoles.Admin);
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 100, 200, 30, At(2, 10));
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 10, 20, 3, At(3, 9));
        await api.Database.RecordUsageAsync(tenant, "receipt", "embedded-xml", 0, 0, 0, At(3, 23));
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 1000, 0, 0, At(30, 0).AddMonths(1)); // after the period
        await api.Database.RecordUsageAsync("someone-else", "invoice", "llm", 5000, 0, 0, At(3, 9));

        Assert.Equal(["invoice 2 110 220 33", "receipt 1 0 0 0"], await GroupsAsync(admin, "type"));
        Assert.Equal(["2026-11-02 1 100 200 30", "2026-11-03 2 10 20 3"], await GroupsAsync(admin, "day"));
        Assert.Equal(["embedded-xml 1 0 0 0", "llm 2 110 220 33"], await GroupsAsync(admin, "route"));
        Assert.Equal(["0 3 110 220 33"], await GroupsAsync(admin, "tier"));
    }

    [Theory]
    [InlineData("/usage?groupBy=week", "groupBy must be one of day, type, tier, route; got 'week'")]
    [InlineData("/usage?from=yesterday", "from must be an ISO 8601 date or instant")]
    [InlineData("/usage?to=soon", "to must be an ISO 8601 date or instant")]
    [InlineData("/usage?from=2026-11-02&to=2026-11-01", "must be before to")]
    [InlineData("/usage/report?from=2026-13-01", "from must be an ISO 8601 date or instant")]
    public async Task A_bad_argument_is_a_problem_naming_it(string path, string expected)
    {
        using var admin = await api.CreateClientAsync("use-bad", ApiRoles.Admin);

        using var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_document_keeps_its_usage_in_the_totals_without_the_document()
    {
        var tenant = $"use-{Guid.NewGuid():N}"[..20];
        using var admin = await api.CreateClientAsync(tenant, ApiRoles.Admin);
        var document = await (await admin.PostAsync(TestPdfs.Invoice($"usage-{tenant}"))).DocumentAsync();
        await api.Database.SucceedAsync(document.Id);
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 400, 800, 95, DateTimeOffset.UtcNow.AddMinutes(-1), document.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(document.Links.Self)).StatusCode);

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE id = $1", document.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM usage WHERE tenant_id = $1 AND document_id IS NULL", tenant));
        var usage = await admin.GetFromJsonAsync<JsonElement>("/usage?groupBy=type");
        Assert.Equal(["invoice 1 400 800 95"], Lines(usage));
    }

    [Fact]
    public async Task The_report_prices_the_tenants_tokens_at_each_cloud_price_with_its_date()
    {
        var tenant = $"use-{Guid.NewGuid():N}"[..20];
        using var admin = await api.CreateClientAsync(tenant, ApiRoles.Admin);
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 2_000_000, 6_000_000, 500_000, At(2, 10));
        await api.Database.RecordUsageAsync("someone-else", "invoice", "llm", 9_000_000, 0, 0, At(2, 10));

        var report = await admin.GetFromJsonAsync<JsonElement>("/usage/report?from=2026-11-01&to=2026-12-01");

        Assert.Equal(1, report.GetProperty("documents").GetInt64());
        Assert.Equal(2_000_000, report.GetProperty("promptTokensEvaluated").GetInt64());
        var frontier = report.GetProperty("cloud")[0];
        // The default frontier price: 2M * 5 + 6M * 5 (no cached discount) + 0.5M * 15 = 10 + 30 + 7.5 per million.
        Assert.Equal(47.5, frontier.GetProperty("costForPeriod").GetDouble(), 9);
        Assert.Equal("2024-05-13", frontier.GetProperty("priceAsOf").GetString());
        Assert.NotEmpty(report.GetProperty("summary").EnumerateArray());
    }

    [Fact]
    public async Task The_cost_report_command_prints_the_tenants_report_and_refuses_bad_arguments()
    {
        var tenant = $"use-{Guid.NewGuid():N}"[..20];
        await api.Database.RecordUsageAsync(tenant, "invoice", "llm", 2_000_000, 6_000_000, 500_000, At(2, 10));
        var cost = new CostOptions { CloudPrices = [new() { Name = "listed", InputPerMillion = 1, CachedInputPerMillion = 1, OutputPerMillion = 1, AsOf = "2026-11-01" }] };

        var (code, output, _) = await CostReportAsync(["--tenant", tenant, "--from", "2026-11-01", "--to", "2026-12-01"], cost);
        var (bad, _, errors) = await CostReportAsync(["--from", "2026-11-01"], cost);

        Assert.Equal(0, code);
        Assert.Contains("documents: 1 ", output, StringComparison.Ordinal);
        // 2M + 6M + 0.5M tokens at 1 per million.
        Assert.Contains("listed (price of 2026-11-01): 8.50 USD for these tokens", output, StringComparison.Ordinal);
        Assert.Contains("what the box buys instead", output, StringComparison.Ordinal);
        Assert.Equal(2, bad);
        Assert.Contains("--tenant is required", errors, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Errors)> CostReportAsync(string[] args, CostOptions cost)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await CostReportCommand.RunAsync(args, api.Database.ConnectionString, cost, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    private static async Task<List<string>> GroupsAsync(HttpClient client, string groupBy) =>
        Lines((await client.GetFromJsonAsync<JsonElement>($"/usage?from=2026-11-01&to=2026-12-01&groupBy={groupBy}"))!);

    private static List<string> Lines(JsonElement usage) =>
    [
        .. usage.GetProperty("groups").EnumerateArray().Select(g =>
            $"{g.GetProperty("key").GetString()} {g.GetProperty("documents").GetInt64()} {g.GetProperty("promptTokensEvaluated").GetInt64()} " +
            $"{g.GetProperty("promptTokensReused").GetInt64()} {g.GetProperty("generatedTokens").GetInt64()}"),
    ];
}

internal static class UsageRows
{
    /// <summary>A usage row as the worker writes it, of known figures: 2 slot-seconds on a worker of 2 slots.</summary>
    public static Task<int> RecordUsageAsync(this TestDatabase database, string tenant, string type, string route,
        int evaluated, int reused, int generated, DateTimeOffset at, Guid? document = null) =>
        database.ExecuteAsync("""
            INSERT INTO usage (id, document_id, tenant_id, document_type, route, tier, model, prompt_tokens_evaluated,
                               prompt_tokens_reused, generated_tokens, text_ms, llm_ms, persist_ms, slot_seconds, worker_slots, worker, created_at)
            VALUES ($1, $2, $3, $4, $5, 0, 'test.gguf', $6, $7, $8, 500, 1400, 100, 2, 2, 'test/1', $9)
            """, Guid.NewGuid(), document is { } id ? id : DBNull.Value, tenant, type, route, evaluated, reused, generated, at.ToUniversalTime());
}
