using System.Diagnostics;
using System.Globalization;
using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Bench;

/// <summary>
/// Issue #11: what choosing a token costs at 32k, 152k and 262k vocabularies under the invoice grammar, the
/// whole-vocabulary path against the shortlist, in one process (bench/sampling.sh); then the scheduler's aggregate
/// tokens/s at N = 1, 4, 16 with a 152k vocabulary, sampling one after another against side by side.
/// </summary>
internal static class SamplingOverhead
{
    private static readonly string[] _vocabularies = ["ggml-vocab-llama-spm.gguf", "ggml-vocab-qwen2.gguf", "ggml-vocab-gemma-4.gguf"];

    // How far the token a trained model means stands above the best of the rest, in nats, for the made-up logits.
    private static readonly float[] _margins = [10, 20, 30];

    private const int Alternatives = 16;

    public static int Run(string[] args)
    {
        var tokens = int.Parse(Option(args, "--tokens") ?? "200", CultureInfo.InvariantCulture);
        var documents = int.Parse(Option(args, "--documents") ?? "16", CultureInfo.InvariantCulture);
        Console.WriteLine(BenchBackend.Initialize());
        var grammar = BatchingWorkload.Grammar();
        Console.WriteLine($"grammar: the 8-field invoice schema's; greedy; {Alternatives} alternatives per step; up to {tokens} tokens");
        Console.WriteLine("per-token sampling overhead, ms (the time in TokenSampler.Next: grammar, softmax, alternatives)");
        Console.WriteLine("vocabulary  logits                         whole vocabulary  shortlist  ratio  steps on the whole vocabulary");
        foreach (var vocabulary in _vocabularies)
        {
            using var model = LlamaModel.Load(TestModels.GetOrCreate(RandomModelSpec.Tiny with { VocabFile = vocabulary }));
            RandomModel(model, grammar, tokens);
            foreach (var margin in _margins)
            {
                MadeUpLogits(model, grammar, tokens, margin);
            }
        }

        Console.WriteLine();
        Console.WriteLine("per-document grammar set-up, ms: parsing the invoice grammar (stderr captured) against copying the parsed one (issue #16)");
        foreach (var vocabulary in _vocabularies)
        {
            using var model = LlamaModel.Load(TestModels.GetOrCreate(RandomModelSpec.Tiny with { VocabFile = vocabulary }));
            GrammarSetUp(model, vocabulary, grammar);
        }

        Console.WriteLine();
        Scheduler(grammar, documents);
        return 0;
    }

    /// <summary>The random-weight model's own logits, decoded: nearly flat, so the shortlist bound rarely holds.</summary>
    private static void RandomModel(LlamaModel model, string grammar, int tokens)
    {
        using var context = model.CreateContext(new LlamaContextOptions { ContextSize = tokens + 128, BatchSize = 128 });
        var prompt = model.Tokenize("Invoice RE-2026-0815 from Acme Supplies Ltd to Globex BV, dated 2026-03-02, total 1284.50 EUR. JSON:");
        GenerationResult Generate(bool full) => context.Generate(prompt, new GenerationOptions
        {
            Grammar = grammar,
            MaxTokens = tokens,
            Alternatives = Alternatives,
            Sampler = SamplerSettings.Greedy with { FullVocabulary = full },
        });

        var whole = Generate(full: true);
        var shortlist = Generate(full: false);
        if (!whole.TokenIds.SequenceEqual(shortlist.TokenIds))
        {
            throw new InvalidOperationException("the shortlist chose other tokens than the whole vocabulary");
        }

        var steps = whole.FullVocabularySteps;
        Row(model, "random-weight model (decoded)", whole.SamplingTime.TotalMilliseconds / steps,
            shortlist.SamplingTime.TotalMilliseconds / steps, shortlist.FullVocabularySteps, steps);
    }

    /// <summary>What each document paid before the grammar cache (a parse) against what it pays now (a copy).</summary>
    private static void GrammarSetUp(LlamaModel model, string vocabulary, string grammar)
    {
        const int Rounds = 200;
        static double Each(Func<IDisposable> create)
        {
            create().Dispose();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Rounds; i++)
            {
                create().Dispose();
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds / Rounds;
        }

        var parse = Each(() => LlamaGrammar.Parse(model, grammar));
        var copy = Each(() => LlamaGrammar.CreateSampler(model, grammar));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{vocabulary,-28} {model.VocabularySize,7:N0} tokens  parse {parse,7:F3}  copy {copy,7:F3}  ratio {parse / copy,6:F1}"));
    }

    /// <summary>
    /// Logits shaped like a trained model's that knows the answer: a background drawn from N(0, 2.5²) and, at each
    /// step, the token the grammar allows that the background ranks highest raised to <paramref name="margin"/> nats
    /// above the best of the rest. Three samplers keep the same grammar state: one finds that token, then the
    /// whole-vocabulary path and the shortlist are timed on the same row.
    /// </summary>
    private static void MadeUpLogits(LlamaModel model, string grammar, int tokens, float margin)
    {
        var whole = SamplerSettings.Greedy with { FullVocabulary = true };
        using var finder = TokenSampler.Create(model, whole, grammar);
        using var full = TokenSampler.Create(model, whole, grammar);
        using var shortlist = TokenSampler.Create(model, SamplerSettings.Greedy, grammar);
        var random = new Random(11);
        var logits = new float[model.VocabularySize];
        long fullTicks = 0, shortlistTicks = 0;
        var steps = 0;
        var fullVocabularySteps = 0;
        var worst = 0.0;
        for (; steps < tokens; steps++)
        {
            Background(random, logits);
            var meant = finder.Next(logits).Token;
            var rest = float.NegativeInfinity;
            for (var i = 0; i < logits.Length; i++)
            {
                rest = i == meant ? rest : Math.Max(rest, logits[i]);
            }

            logits[meant] = rest + margin;
            var started = Stopwatch.GetTimestamp();
            var a = full.Next(logits, Alternatives);
            var between = Stopwatch.GetTimestamp();
            var b = shortlist.Next(logits, Alternatives);
            shortlistTicks += Stopwatch.GetTimestamp() - between;
            fullTicks += between - started;
            fullVocabularySteps += b.FullVocabulary ? 1 : 0;
            worst = Math.Max(worst, Math.Abs(a.LogProbability - b.LogProbability));
            if (a.Token != meant || b.Token != meant)
            {
                throw new InvalidOperationException($"step {steps}: meant {meant}, whole vocabulary chose {a.Token}, shortlist {b.Token}");
            }

            if (model.IsEndOfGeneration(meant))
            {
                steps++;
                break;
            }
        }

        Row(model, $"made up, best {margin:F0} nats ahead", Stopwatch.GetElapsedTime(0, fullTicks).TotalMilliseconds / steps,
            Stopwatch.GetElapsedTime(0, shortlistTicks).TotalMilliseconds / steps, fullVocabularySteps, steps,
            $"; log-probabilities within {worst:E1}");
    }

    private static void Background(Random random, float[] logits)
    {
        for (var i = 0; i < logits.Length; i += 2)
        {
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * 2.5;
            var angle = 2.0 * Math.PI * random.NextDouble();
            logits[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < logits.Length)
            {
                logits[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }
    }

    private static void Row(LlamaModel model, string logits, double full, double shortlist, int fullSteps, int steps, string note = "") =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.VocabularySize,10:N0}  {logits,-30} {full,16:F3}  {shortlist,9:F3}  {full / shortlist,5:F1}  {fullSteps} of {steps}{note}"));

    /// <summary>Aggregate generated tokens/s of the scheduler with a 152k-vocabulary model, and where a step's time goes.</summary>
    private static void Scheduler(string grammar, int documents)
    {
        using var model = LlamaModel.Load(TestModels.GetOrCreate(RandomModelSpec.Tiny with { VocabFile = "ggml-vocab-qwen2.gguf" }));
        var prompts = Enumerable.Range(0, documents)
            .Select(i => model.Tokenize($"Invoice RE-2026-{1000 + i} from Acme Supplies Ltd, {i + 2} chairs, total {120 + (i * 17)}.50 EUR. JSON:"))
            .ToArray();
        var options = new GenerationOptions { Grammar = grammar, MaxTokens = 48, Alternatives = Alternatives };
        Console.WriteLine($"scheduler: {documents} documents, {model.VocabularySize:N0}-token random-weight model, up to {options.MaxTokens} tokens each, {Environment.ProcessorCount} cores, decode on 1 thread");
        Console.WriteLine("  N  sampling threads  generated tokens/s  decode ms  sampling ms  (totals over the steps)");
        foreach (var slots in new[] { 1, 4, 16 })
        {
            foreach (var threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                // Decoding on one thread leaves the other cores to the sampling threads.
                using var context = model.CreateContext(new LlamaContextOptions
                {
                    ContextSize = 256 * slots, BatchSize = 512, MaxSequences = slots, Threads = 1, ThreadsBatch = 1,
                });
                using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = slots, SamplingThreads = threads });
                var started = Stopwatch.GetTimestamp();
                var results = Task.WhenAll(prompts.Select(p => scheduler.SubmitAsync(ScheduledPrompt.Unshared(p), options))).GetAwaiter().GetResult();
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var steps = scheduler.StepStatistics;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{slots,3}  {threads,16}  {results.Sum(r => r.GeneratedTokens) / seconds,18:F1}  {steps.DecodeTime.TotalMilliseconds,9:F0}  {steps.SamplingTime.TotalMilliseconds,11:F0}"));
            }
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
