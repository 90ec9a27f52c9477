using System.Globalization;
using System.Net;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// The service as an operator sees it: an LLM worker with a management listener and JSON logs, an API that
/// samples its gauges every second.
/// </summary>
public sealed class ObservedService : Service
{
    public Uri WorkerManagement { get; } = new($"http://127.0.0.1:{ServiceProcess.FreePort()}");

    protected override IReadOnlyDictionary<string, string?> ApiSettings => new Dictionary<string, string?>
    {
        ["Metrics:SampleInterval"] = "00:00:01",
    };

    protected override IReadOnlyDictionary<string, string?> WorkerSettings => new Dictionary<string, string?>
    {
        ["Llm:ModelPath"] = TestModels.Tiny,
        ["Llm:ContextSize"] = "4096",
        ["Management:Urls"] = WorkerManagement.ToString(),
        ["Logging:Console:FormatterName"] = "json",
    };
}

public sealed class Operating_the_service(ObservedService service) : IClassFixture<ObservedService>
{
    private readonly HttpClient _management = new() { BaseAddress = service.WorkerManagement };

    [Fact]
    public async Task After_a_document_the_metrics_of_the_api_and_the_worker_have_moved()
    {
        await WaitUntilReadyAsync();
        var before = await ScrapeAsync(_management);

        var id = await service.UploadAsync(TestPdfs.Invoice($"metrics-{Guid.NewGuid()}"), schema: "invoice");
        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));
        // The generated model's values are invented, so the document has a result but may need review (#6).
        var status = document.GetProperty("status").GetString();
        Assert.True(status is "succeeded" or "needs_review", service.Logs);

        var after = await ScrapeAsync(_management);
        Assert.Equal(Value(before, $"docextract_worker_documents_total{{outcome=\"{status}\"}}") + 1,
            Value(after, $"docextract_worker_documents_total{{outcome=\"{status}\"}}"));
        foreach (var stage in new[] { "queue_wait", "text", "llm", "persist" })
        {
            var count = $"docextract_stage_duration_seconds_count{{stage=\"{stage}\"}}";
            Assert.Equal(Value(before, count) + 1, Value(after, count));
            Assert.True(Value(after, $"docextract_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}}") >= Value(after, count));
        }
        Assert.True(Value(after, "docextract_llm_tokens_total{kind=\"generated\"}") > Value(before, "docextract_llm_tokens_total{kind=\"generated\"}"));
        Assert.True(Value(after, "docextract_llm_tokens_total{kind=\"prompt_evaluated\"}") > Value(before, "docextract_llm_tokens_total{kind=\"prompt_evaluated\"}"));
        Assert.True(Lookups(after) > Lookups(before), "the prompt cache was not consulted");
        Assert.Contains(after.Keys, key => key.StartsWith("docextract_llm_backend{backend=\"cpu\"", StringComparison.Ordinal) && after[key] == 1);
        Assert.Equal(Value(before, "docextract_ocr_pages_total"), Value(after, "docextract_ocr_pages_total"));
        // The usage ledger's counter moves once the row's persist time is written, just after the result commits (#12).
        await Eventually.WaitAsync(async () => UsageGenerated(await ScrapeAsync(_management)) > UsageGenerated(before) ? "" : null,
            TimeSpan.FromSeconds(30), "the worker's usage counter to count the document's generated tokens on route llm, tier 0");

        // The API samples PostgreSQL and RabbitMQ every second.
        var api = await Eventually.WaitAsync(async () =>
        {
            var metrics = await ScrapeAsync(service.Http);
            return Value(metrics, $"docextract_documents{{status=\"{status}\"}}") >= 1 ? metrics : null;
        }, TimeSpan.FromSeconds(30), $"the API's metrics to count the {status} document");
        Assert.Equal(0, Value(api, $"docextract_queue_depth{{queue=\"{service.Queue.Name}\"}}"));
        Assert.Equal(0, Value(api, "docextract_outbox_pending"));
    }

    [Fact]
    public async Task The_worker_is_ready_with_its_model_loaded_and_its_servers_answering()
    {
        var ready = await WaitUntilReadyAsync();

        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.Contains("loaded", ready.GetProperty("checks").GetProperty("model").GetProperty("description").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("masstransit-bus").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _management.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_worker_without_its_database_is_live_but_not_ready()
    {
        var port = ServiceProcess.FreePort();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}") };
        service.StartWorker(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={port};Database=none;Username=none;Password=none;Timeout=2",
            ["RabbitMq:ExtractQueue"] = $"{service.Queue.Name}-unready",
            ["Management:Urls"] = management.BaseAddress!.ToString(),
        }, "worker without a database");

        var body = await Eventually.WaitAsync(async () =>
        {
            try
            {
                using var response = await management.GetAsync("/health/ready");
                return response.StatusCode == HttpStatusCode.ServiceUnavailable ? await response.Content.ReadAsStringAsync() : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60), "the worker without a database to answer 503");

        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Logs_carry_the_document_id_on_every_line_of_its_processing_and_never_its_text_or_values()
    {
        var marker = $"CONFIDENTIAL{Guid.NewGuid():N}";
        var id = await service.UploadAsync(TestPdfs.Invoice(marker), schema: "invoice");
        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));
        // The generated model's values are invented, so the document has a result but may need review (#6).
        Assert.True(document.GetProperty("status").GetString() is "succeeded" or "needs_review", service.Logs);
        var result = await service.ResultAsync(id);
        Assert.Contains(marker, result.GetProperty("pages").GetRawText(), StringComparison.Ordinal);

        var logs = service.Logs;
        Assert.DoesNotContain(marker, logs, StringComparison.Ordinal);
        foreach (var value in Strings(result.GetProperty("data")).Where(v => v.Length >= 12))
        {
            Assert.DoesNotContain(value, logs, StringComparison.Ordinal);
        }

        // The worker logs JSON, one entry per line: every entry of the processing code names the document.
        var entries = logs.Split('\n').Where(line => line.StartsWith("{\"", StringComparison.Ordinal) && line.Contains("\"Category\"", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var processing = entries.Where(e => e.GetProperty("Category").GetString()!.StartsWith("DocExtract.Worker.Processing", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(processing);
        Assert.All(processing, entry => Assert.Contains(entry.GetProperty("Scopes").EnumerateArray(),
            scope => scope.TryGetProperty("DocumentId", out var documentId) && documentId.GetString() is { Length: > 0 }));
        Assert.Contains(processing, entry => entry.GetProperty("Scopes").EnumerateArray()
            .Any(scope => scope.TryGetProperty("DocumentId", out var documentId) && documentId.GetString() == id.ToString()));
    }

    private async Task<JsonElement> WaitUntilReadyAsync() => (await Eventually.WaitAsync<JsonElement?>(async () =>
    {
        try
        {
            using var response = await _management.GetAsync("/health/ready");
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }, TimeSpan.FromSeconds(90), "the worker to be ready"))!.Value;

    private static double Lookups(IReadOnlyDictionary<string, double> metrics) =>
        Value(metrics, "docextract_prompt_cache_lookups_total{result=\"hit\"}") + Value(metrics, "docextract_prompt_cache_lookups_total{result=\"miss\"}");

    private static double UsageGenerated(IReadOnlyDictionary<string, double> metrics) => metrics
        .Where(m => m.Key.StartsWith("docextract_usage_tokens_total{", StringComparison.Ordinal)
            && new[] { "kind=\"generated\"", "route=\"llm\"", "tier=\"0\"" }.All(label => m.Key.Contains(label, StringComparison.Ordinal)))
        .Sum(m => m.Value);

    private static double Value(IReadOnlyDictionary<string, double> metrics, string series) => metrics.GetValueOrDefault(series);

    /// <summary>Prometheus text format: "name{labels} value" per sample (<c>name{}</c> read as <c>name</c>); comments skipped.</summary>
    private static async Task<IReadOnlyDictionary<string, double>> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var samples = new Dictionary<string, double>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            samples[line[..space].Replace("{}", "", StringComparison.Ordinal)] = line[(space + 1)..] == "+Inf" ? double.PositiveInfinity : double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };
}
