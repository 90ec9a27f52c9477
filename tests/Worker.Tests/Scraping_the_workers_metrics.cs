using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DocExtract.Llama;
using DocExtract.Operations.Management;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Tests;

/// <summary>
/// The exposition is OpenTelemetry's Prometheus exporter since issue #16; dashboards and alerts query these exact
/// series (README, "Operations"), so a change of its naming rules (suffixes, escaping, scope labels) must fail here.
/// </summary>
public sealed partial class Scraping_the_workers_metrics
{
    [Fact]
    public async Task The_management_listener_serves_every_series_under_the_name_dashboards_query()
    {
        await using var services = new ServiceCollection()
            .AddLogging().AddMetrics().AddHealthChecks().Services
            .AddPrometheusMetrics(WorkerMetrics.MeterName)
            .BuildServiceProvider();
        // Started first, as in the worker: instruments record only once the listener's meter provider exists.
        var address = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        await using var listener = new ManagementListener(services,
            Options.Create(new ManagementOptions { Urls = address.ToString() }), NullLogger<ManagementListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = address };
        var metrics = new WorkerMetrics(services.GetRequiredService<IMeterFactory>());
        metrics.Finished("succeeded");
        metrics.Stage("text", TimeSpan.FromMilliseconds(30));
        metrics.Tokens(new GenerationResult("{}", [], [], StopReason.EndOfGeneration, 10, 3, TimeSpan.Zero, TimeSpan.Zero) { PromptTokensReused = 4 });
        metrics.Pages([new PageText(1, "scanned", PageOcr.Source)]);
        metrics.Usage(new UsageRecord { TenantId = "t", Worker = "w", DocumentType = "invoice", Route = "llm", PromptTokensEvaluated = 6, GeneratedTokens = 3 });
        // Configured but not loaded: the prompt cache reports its (zero) lookups, the backend gauge nothing yet.
        using var engine = new LlmEngine(Options.Create(new LlmOptions { ModelPath = "/not/loaded.gguf" }), metrics, NullLogger<LlmEngine>.Instance);
        metrics.Observe(engine);

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        await listener.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType!.ToString());
        var families = TypeLine().Matches(text).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Order().ToList();
        Assert.Equal(
        [
            "docextract_llm_tokens_total counter",
            "docextract_ocr_pages_total counter",
            "docextract_prompt_cache_lookups_total counter",
            "docextract_stage_duration_seconds histogram",
            "docextract_usage_tokens_total counter",
            "docextract_worker_documents_total counter",
        ], families);
        var samples = Samples(text);
        Assert.Equal(1, samples["docextract_worker_documents_total{outcome=\"succeeded\"}"]);
        Assert.Equal(1, samples["docextract_stage_duration_seconds_bucket{stage=\"text\",le=\"0.05\"}"]);
        Assert.Equal(0, samples["docextract_stage_duration_seconds_bucket{stage=\"text\",le=\"0.025\"}"]);
        Assert.Equal(1, samples["docextract_stage_duration_seconds_bucket{stage=\"text\",le=\"+Inf\"}"]);
        Assert.Equal(1, samples["docextract_stage_duration_seconds_count{stage=\"text\"}"]);
        Assert.Equal(0.03, samples["docextract_stage_duration_seconds_sum{stage=\"text\"}"], 6);
        Assert.Equal(4, samples["docextract_llm_tokens_total{kind=\"prompt_reused\"}"]);
        Assert.Equal(6, samples["docextract_llm_tokens_total{kind=\"prompt_evaluated\"}"]);
        Assert.Equal(1, samples["docextract_ocr_pages_total"]);
        Assert.Equal(3, samples["docextract_usage_tokens_total{kind=\"generated\",route=\"llm\",tier=\"0\"}"]);
        Assert.Equal(0, samples["docextract_prompt_cache_lookups_total{result=\"hit\"}"]);
        Assert.DoesNotContain("otel_scope", text);
        Assert.DoesNotContain("target_info", text);
    }

    /// <summary>"series value" per sample line; <c>name{}</c> is <c>name</c>, as Prometheus reads it.</summary>
    private static Dictionary<string, double> Samples(string text) => text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => (Series: line[..line.LastIndexOf(' ')].Replace("{}", "", StringComparison.Ordinal), Value: line[(line.LastIndexOf(' ') + 1)..]))
        .ToDictionary(sample => sample.Series, sample => sample.Value == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
