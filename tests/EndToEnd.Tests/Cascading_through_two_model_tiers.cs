using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// The cascade of local models (#12) in real processes: a tier-0 worker on the tiny generated model and tier-1 workers
/// on another of the same shape, each on its own queue. The generated models' values are noise, so every result needs review:
/// what escalates is what the policy says.
/// </summary>
public sealed class Cascading_through_two_model_tiers(CascadeService service) : IClassFixture<CascadeService>
{
    private static readonly byte[] _sample = TestPdfs.Invoice("cascade");

    [Fact]
    public async Task A_doubtful_invoice_is_read_again_by_tier_1_while_a_receipt_whose_policy_is_none_stays_at_tier_0()
    {
        var tier1 = service.StartTier(1);
        var invoice = await service.UploadAsync(_sample, "invoice.pdf", schema: "invoice");
        var receipt = await service.UploadAsync(_sample, "receipt.pdf", schema: "receipt");
        try
        {
            await service.WaitForTerminalAsync(invoice, TimeSpan.FromMinutes(5));
            await service.WaitForTerminalAsync(receipt, TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{service.Logs}", e);
        }
        finally
        {
            await tier1.KillAsync();
        }

        var escalated = await service.ResultAsync(invoice);
        var attempts = escalated.GetProperty("attempts").EnumerateArray().ToList();
        Assert.True(attempts.Count == 2, service.Logs);
        Assert.Equal([0, 1], attempts.Select(a => a.GetProperty("tier").GetInt32()));
        Assert.Equal("escalated", attempts[0].GetProperty("outcome").GetString());
        Assert.NotEmpty(attempts[0].GetProperty("escalatedFor").EnumerateArray());
        Assert.Equal(0, attempts[1].GetProperty("escalatedFor").GetArrayLength());
        Assert.Equal(Path.GetFileName(TestModels.Tiny), attempts[0].GetProperty("model").GetString());
        Assert.Equal(Path.GetFileName(TestModels.TinyOther), attempts[1].GetProperty("model").GetString());
        Assert.All(attempts, a => Assert.True(a.GetProperty("promptTokensEvaluated").GetInt32() + a.GetProperty("promptTokensReused").GetInt32() > 0));
        // The last tier's result stands: its data, its model, reviewed or not.
        Assert.Equal(Path.GetFileName(TestModels.TinyOther), escalated.GetProperty("dataStatus").GetProperty("details").GetProperty("model").GetProperty("file").GetString());
        Assert.Equal("0,1", await TiersInUsageAsync(invoice));

        var kept = await service.ResultAsync(receipt);
        Assert.Equal(0, Assert.Single(kept.GetProperty("attempts").EnumerateArray()).GetProperty("tier").GetInt32());
        Assert.Equal("0", await TiersInUsageAsync(receipt));

        var usage = await service.Http.GetFromJsonAsync<JsonElement>("/usage?groupBy=tier");
        var tiers = usage.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("documents").GetInt64());
        Assert.True(tiers.GetValueOrDefault("0") >= 2 && tiers.GetValueOrDefault("1") >= 1, usage.ToString());
    }

    [Fact]
    public async Task A_document_waits_in_tier_1s_queue_until_a_worker_serves_it_and_survives_that_worker_dying()
    {
        var id = await service.UploadAsync(_sample, "waiting.pdf", schema: "invoice");

        var run = await Eventually.WaitAsync(async () =>
        {
            var items = (await service.Http.GetFromJsonAsync<JsonElement>($"/documents/{id}/extractions")).GetProperty("items");
            return items.GetArrayLength() == 1 && items[0].GetProperty("tier").GetInt32() == 1 ? (JsonElement?)items[0] : null;
        }, TimeSpan.FromMinutes(5), "tier 0 to pass the document on to tier 1");
        Assert.Equal("processing", run!.Value.GetProperty("status").GetString());
        Assert.Equal("processing", (await service.DocumentAsync(id)).GetProperty("status").GetString());
        // The command waits in tier 1's queue (a killed worker's unacknowledged message of an earlier test may wait too).
        await Eventually.WaitAsync(async () => await TierOneMessagesAsync() >= 1 ? "queued" : null,
            TimeSpan.FromMinutes(1), "the escalated command to wait in tier 1's queue");

        using var slow = new SlowPdftotext(seconds: 5);
        var victim = service.StartTier(1, slow.Settings, "tier-1 worker to kill");
        try
        {
            await Eventually.WaitAsync(
                async () => await service.Database.ScalarAsync<int?>("SELECT attempts FROM documents WHERE id = $1 AND attempts > 0", id),
                TimeSpan.FromMinutes(1), "the tier-1 worker to start on the document");
        }
        finally
        {
            await victim.KillAsync();
        }
        var restarted = service.StartTier(1, name: "restarted tier-1 worker");
        JsonElement document;
        try
        {
            document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(5));
        }
        finally
        {
            await restarted.KillAsync();
        }

        Assert.True(document.GetProperty("status").GetString() is "needs_review", service.Logs);
        Assert.Equal(1L, await service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        Assert.Equal([0, 1], (await service.ResultAsync(id)).GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("tier").GetInt32()));
        Assert.Equal("0,1", await TiersInUsageAsync(id));
    }

    // The tier-1 queue exists once the first escalation was sent there; before that RabbitMQ answers 404.
    private async Task<uint?> TierOneMessagesAsync()
    {
        try
        {
            return await TestQueue.MessageCountAsync(service.Queue.OfTier(1));
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    private Task<string?> TiersInUsageAsync(Guid document) =>
        service.Database.ScalarAsync<string>("SELECT string_agg(tier::text, ',' ORDER BY tier) FROM usage WHERE document_id = $1", document);
}

/// <summary>The API and a tier-0 worker of a two-tier cascade; tests start (and stop) the tier-1 workers they need.</summary>
public sealed class CascadeService : Service
{
    private IReadOnlyDictionary<string, string?> Tiers => new Dictionary<string, string?>
    {
        ["Llm:Tiers:0:ModelPath"] = TestModels.Tiny,
        ["Llm:Tiers:1:ModelPath"] = TestModels.TinyOther,
        ["Llm:ContextSize"] = "4096",
        ["Llm:ClassificationConfidence"] = "0",
        ["Llm:Escalation:Types:receipt"] = "none",
    };

    protected override IReadOnlyDictionary<string, string?> WorkerSettings => Tiers;

    /// <summary>A worker of <paramref name="tier"/>, stopped when the caller disposes it.</summary>
    public ServiceProcess StartTier(int tier, IReadOnlyDictionary<string, string?>? extra = null, string? name = null)
    {
        var settings = new Dictionary<string, string?>(Tiers) { ["Worker:Tier"] = tier.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return StartWorker(settings, name ?? $"tier-{tier} worker");
    }
}
