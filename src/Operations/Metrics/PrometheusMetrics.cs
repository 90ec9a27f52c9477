using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace DocExtract.Operations.Metrics;

/// <summary>
/// The process's meters, aggregated by the OpenTelemetry SDK and read on each scrape (pull, like Prometheus
/// itself): nothing is pushed anywhere, so metrics add no outbound connection (issue #7).
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Stage latencies run from milliseconds (a text layer) to minutes (an LLM answer on CPU, an OCRed scan).
    private static readonly double[] _secondsBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly PrometheusTextExporter _exporter = new();
    private readonly BaseExportingMetricReader _reader;
    private readonly MeterProvider _provider;

    public PrometheusMetrics(IEnumerable<string> meterNames)
    {
        _reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. meterNames])
            .AddView(instrument => instrument.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = _secondsBuckets }
                : null)
            .AddReader(_reader)
            .Build() ?? throw new InvalidOperationException("the OpenTelemetry meter provider could not be built");
    }

    /// <summary>Every metric of the meters, in Prometheus text format.</summary>
    public string Scrape() => _exporter.Scrape(_reader);

    public void Dispose()
    {
        _provider.Dispose();
        _exporter.Dispose();
    }
}
