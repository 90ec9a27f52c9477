using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace DocExtract.Operations.Metrics;

/// <summary>
/// The process's meters, aggregated by the OpenTelemetry SDK and written by its Prometheus exporter on each scrape
/// (pull, like Prometheus itself): nothing is pushed anywhere, so metrics add no outbound connection (issue #7).
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    // Stage latencies run from milliseconds (a text layer) to minutes (an LLM answer on CPU, an OCRed scan).
    private static readonly double[] _secondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    public PrometheusMetrics(IEnumerable<string> meterNames)
    {
        Provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. meterNames])
            .AddView(instrument => instrument.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = _secondsBuckets }
                : null)
            .AddPrometheusExporter(options =>
            {
                // The series dashboards query (README, "Operations"): docextract_stage_duration_seconds, *_total,
                // without an otel_scope_* label on each and without a target_info family (issue #16).
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
                options.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithSuffixes;
                // Collected when scraped, as before: no response served from a cache of a moment ago.
                options.ScrapeResponseCacheDurationMilliseconds = 0;
            })
            .Build() ?? throw new InvalidOperationException("the OpenTelemetry meter provider could not be built");
    }

    /// <summary>The provider whose Prometheus exporter the /metrics endpoint reads.</summary>
    public MeterProvider Provider { get; }

    public void Dispose() => Provider.Dispose();
}
