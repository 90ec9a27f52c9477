using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace DocExtract.Operations.Metrics;

/// <summary>
/// Writes the OpenTelemetry SDK's aggregated metrics in Prometheus text format 0.0.4. OpenTelemetry's own
/// Prometheus exporter (and prometheus-net) cannot be restored here; the SDK, which does the aggregation
/// (counters, histograms, callbacks), can, so only the serialisation is ours.
/// Collected only when scraped: the reader exports on Collect() and nothing collects on a timer. (Declaring the
/// exporter pull-only would need the SDK's internal PullMetricScope, open only to its own exporters.)
/// </summary>
internal sealed class PrometheusTextExporter : BaseExporter<Metric>
{
    private StringBuilder? _target;

    /// <summary>Collects through <paramref name="reader"/> and returns the exposition; one scrape at a time.</summary>
    public string Scrape(MetricReader reader)
    {
        lock (this)
        {
            _target = new StringBuilder();
            try
            {
                if (!reader.Collect(timeoutMilliseconds: 10_000))
                {
                    throw new InvalidOperationException("metrics could not be collected within 10 s");
                }
                return _target.ToString();
            }
            finally
            {
                _target = null;
            }
        }
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        // The provider's shutdown collects once more, with nobody to read it.
        if (_target is not { } text)
        {
            return ExportResult.Success;
        }
        foreach (var metric in batch)
        {
            Write(text, metric);
        }
        return ExportResult.Success;
    }

    private static void Write(StringBuilder text, Metric metric)
    {
        var name = Name(metric);
        var type = metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => "counter",
            MetricType.Histogram => "histogram",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(name).Append(' ').Append(metric.Description.ReplaceLineEndings(" ")).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = new List<KeyValuePair<string, string>>();
            foreach (var tag in point.Tags)
            {
                labels.Add(new(Sanitize(tag.Key), Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
            }
            switch (metric.MetricType)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    Sample(text, name, labels, point.GetSumLong());
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    Sample(text, name, labels, point.GetSumDouble());
                    break;
                case MetricType.LongGauge:
                    Sample(text, name, labels, point.GetGaugeLastValueLong());
                    break;
                case MetricType.DoubleGauge:
                    Sample(text, name, labels, point.GetGaugeLastValueDouble());
                    break;
                case MetricType.Histogram:
                    long cumulative = 0;
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        cumulative += bucket.BucketCount;
                        var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Number(bucket.ExplicitBound);
                        Sample(text, name + "_bucket", [.. labels, new("le", le)], cumulative);
                    }
                    Sample(text, name + "_sum", labels, point.GetHistogramSum());
                    Sample(text, name + "_count", labels, point.GetHistogramCount());
                    break;
            }
        }
    }

    // docextract.stage.duration in "s" -> docextract_stage_duration_seconds; monotonic sums end in _total.
    private static string Name(Metric metric)
    {
        var name = Sanitize(metric.Name);
        if (metric.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }
        if (metric.MetricType is MetricType.LongSum or MetricType.DoubleSum && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }
        return name;
    }

    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }
        return text.ToString();
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        text.Append(name);
        if (labels.Count > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Count; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Key).Append("=\"")
                    .Append(labels[i].Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                        .Replace("\n", "\\n", StringComparison.Ordinal))
                    .Append('"');
            }
            text.Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
