using System.Diagnostics.Metrics;
using DocExtract.Llama;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Pipeline.Processing;

/// <summary>
/// The worker's instruments (System.Diagnostics.Metrics; exposed in Prometheus format by the management
/// listener). Rates (documents/s, tokens/s) are Prometheus's <c>rate()</c> over these counters.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "DocExtract.Worker";

    private readonly Meter _meter;
    private readonly Counter<long> _documents;
    private readonly Histogram<double> _stages;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _ocrPages;
    private readonly Counter<long> _usageTokens;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _redeliveries;

    public WorkerMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _documents = _meter.CreateCounter<long>("docextract.worker.documents", description: "Documents this worker finished, by outcome (succeeded, failed)");
        _stages = _meter.CreateHistogram<double>("docextract.stage.duration", "s",
            "Time per stage of a document: queue_wait (upload to start), text, llm, persist");
        _tokens = _meter.CreateCounter<long>("docextract.llm.tokens",
            description: "LLM tokens by kind: prompt_evaluated, prompt_reused (from the prompt cache), generated");
        _ocrPages = _meter.CreateCounter<long>("docextract.ocr.pages", description: "Pages read by OCR");
        _usageTokens = _meter.CreateCounter<long>("docextract.usage.tokens",
            description: "Tokens of finished documents as the usage ledger records them, by route, tier and kind (prompt_evaluated, prompt_reused, generated)");
        _escalations = _meter.CreateCounter<long>("docextract.cascade.escalations",
            description: "Documents this worker's tier passed on to the next tier of the model cascade (#12), by tier and document type");
        _redeliveries = _meter.CreateCounter<long>("docextract.redeliveries",
            description: "Messages put into a delay queue after a fault of the service outlasted the in-memory retries (#16), by input queue and redelivery (1 for the first)");
    }

    public void Finished(string outcome) => _documents.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Stage(string stage, TimeSpan elapsed) =>
        _stages.Record(Math.Max(0, elapsed.TotalSeconds), new KeyValuePair<string, object?>("stage", stage));

    public void Pages(IEnumerable<PageText> pages) => _ocrPages.Add(pages.Count(p => p.Source == PageOcr.Source));

    public void Tokens(GenerationResult result)
    {
        _tokens.Add(result.PromptTokens - result.PromptTokensReused, new KeyValuePair<string, object?>("kind", "prompt_evaluated"));
        _tokens.Add(result.PromptTokensReused, new KeyValuePair<string, object?>("kind", "prompt_reused"));
        _tokens.Add(result.GeneratedTokens, new KeyValuePair<string, object?>("kind", "generated"));
    }

    /// <summary>A finished document's tokens, counted once its usage row is committed (issue #12).</summary>
    public void Usage(UsageRecord record)
    {
        var route = new KeyValuePair<string, object?>("route", record.Route);
        var tier = new KeyValuePair<string, object?>("tier", record.Tier);
        _usageTokens.Add(record.PromptTokensEvaluated, route, tier, new("kind", "prompt_evaluated"));
        _usageTokens.Add(record.PromptTokensReused, route, tier, new("kind", "prompt_reused"));
        _usageTokens.Add(record.GeneratedTokens, route, tier, new("kind", "generated"));
    }

    /// <summary>A message of <paramref name="queue"/> put into a delay queue for its <paramref name="redelivery"/>th delayed redelivery (#16).</summary>
    public void Redelivered(string queue, int redelivery) => _redeliveries.Add(1,
        new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("redelivery", redelivery));

    /// <summary>A document sent on from <paramref name="tier"/> to the next tier, once that is committed (#12).</summary>
    public void Escalated(int tier, string type) =>
        _escalations.Add(1, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("type", type));

    /// <summary>The prompt cache's lookups (hit rate = hits / all) and the backend in use, read at each scrape.</summary>
    public void Observe(LlmEngine engine)
    {
        _meter.CreateObservableCounter("docextract.prompt_cache.lookups", () => engine.IsConfigured
            ? (IEnumerable<Measurement<long>>)
            [
                new(engine.PrefixStatistics.Hits, new KeyValuePair<string, object?>("result", "hit")),
                new(engine.PrefixStatistics.Misses, new KeyValuePair<string, object?>("result", "miss")),
            ]
            : [], description: "Lookups of a document type's instructions in the prompt cache, by result (hit, miss)");
        _meter.CreateObservableGauge("docextract.llm.backend", () => Backend(engine),
            description: "1 for the llama.cpp backend in use (cpu, cuda; none without a model), with its device");
    }

    private static IEnumerable<Measurement<int>> Backend(LlmEngine engine)
    {
        if (!engine.IsConfigured)
        {
            return [new(1, new("backend", "none"), new("device", ""))];
        }
        if (!engine.IsLoaded)
        {
            return [];
        }
        var info = LlmEngine.Backend;
        var device = info.Devices.FirstOrDefault(d => d.IsGpu)?.Description ?? info.CpuVariant ?? "cpu";
        return [new(1, new("backend", info.Backend.ToString().ToLowerInvariant()), new("device", device))];
    }
}
