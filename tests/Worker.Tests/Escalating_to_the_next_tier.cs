using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// A first-tier worker of a two-tier cascade (#12) on real PostgreSQL: what it commits when its result needs review,
/// and what a redelivery of its message does after that.
/// </summary>
public sealed class Escalating_to_the_next_tier : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Llm:Tiers:0:ContextSize"] = "4096",
        ["Llm:Tiers:1:ContextSize"] = "8192",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JsonObject SampleInvoice() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "tests", "Schemas.Tests", "Samples", "invoice.json")))!.AsObject();

    [Fact]
    public async Task A_failed_rule_commits_the_attempt_its_usage_and_the_next_tiers_command_and_a_redelivery_escalates_nothing_twice()
    {
        var invoice = SampleInvoice();
        invoice["total"] = 1400.00m;
        _harness.Answer.Json = invoice.ToJsonString();
        var command = await _harness.StoreAsync(TestPdfs.Invoice("escalate"), "invoice");

        await _harness.RunAsync(command);
        await _harness.RunAsync(command);

        var db = _harness.Database;
        Assert.Equal(1, _harness.Answer.Calls);
        Assert.Equal("processing", await db.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", command.DocumentId));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", command.DocumentId));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT tier FROM extractions WHERE id = $1", command.ExtractionId));
        Assert.Equal("0", await db.ScalarAsync<string>("SELECT string_agg(tier::text, ',') FROM usage WHERE id = $1", command.ExtractionId));
        Assert.Equal("extract-document-tier-1", await db.ScalarAsync<string>(
            "SELECT string_agg(destination, ',') FROM outbox WHERE payload->>'ExtractionId' = $1", command.ExtractionId.ToString()));
        using var attempts = JsonDocument.Parse(await db.ScalarAsync<string>("SELECT attempts::text FROM extractions WHERE id = $1", command.ExtractionId)
            ?? throw new InvalidOperationException("no attempts stored"));
        var attempt = Assert.Single(attempts.RootElement.EnumerateArray());
        Assert.Equal((0, "escalated"), (attempt.GetProperty("tier").GetInt32(), attempt.GetProperty("outcome").GetString()));
        Assert.Contains(attempt.GetProperty("escalatedFor").EnumerateArray(), r => r.GetProperty("kind").GetString() == "failed-rule");
    }

    [Fact]
    public async Task A_result_needing_no_review_finishes_at_the_first_tier_with_its_one_attempt()
    {
        _harness.Answer.Json = SampleInvoice().ToJsonString();
        var command = await _harness.StoreAsync(TestPdfs.Invoice("no-escalation"), "invoice");

        await _harness.RunAsync(command);

        Assert.Equal("succeeded", await _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", command.DocumentId));
        Assert.Equal(0L, await _harness.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE payload->>'ExtractionId' = $1", command.ExtractionId.ToString()));
        using var result = await _harness.ResultOfAsync(command.DocumentId);
        var attempt = Assert.Single(result.RootElement.GetProperty("attempts").EnumerateArray());
        Assert.Equal((0, "succeeded", 0), (attempt.GetProperty("tier").GetInt32(), attempt.GetProperty("outcome").GetString(),
            attempt.GetProperty("escalatedFor").GetArrayLength()));
    }
}
