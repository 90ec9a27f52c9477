using System.Globalization;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Bench;

/// <summary>
/// Issue #3: prompt and generation speed, with and without the grammar, against node-llama-cpp on the same llama.cpp
/// build. bench/llama.sh runs the steps in order:
/// <code>
/// peer workload &lt;folder&gt; [--threads 1,2] [--rounds N] [--max-tokens N]   model, prompt and grammar for both engines
/// peer ours &lt;folder&gt; &lt;pass&gt;                                                 our rounds, into ours-&lt;pass&gt;.json
/// peer report &lt;folder&gt;                                                      the table, ours against the peer
/// </code>
/// The peer's rounds come from bench/peer/bench.mjs, which reads the same folder.
/// </summary>
internal static class PeerComparison
{
    private const string Usage =
        "usage: peer workload <folder> [--threads 1,2] [--rounds N] [--max-tokens N] | peer ours <folder> <pass> | peer report <folder>";

    public static int Run(string[] args)
    {
        switch (args)
        {
            case ["workload", var folder, .. var options]:
                return Workload(folder, options);
            case ["ours", var folder, var pass]:
                RunOurs(folder, int.Parse(pass, CultureInfo.InvariantCulture));
                return 0;
            case ["report", var folder]:
                PeerReport.Print(folder);
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static int Workload(string folder, string[] options)
    {
        int[] threads = [1, Environment.ProcessorCount];
        var rounds = 4;
        var maxTokens = 128;
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--threads":
                    threads = options[i + 1].Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).Distinct().ToArray();
                    break;
                case "--rounds":
                    rounds = int.Parse(options[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--max-tokens":
                    maxTokens = int.Parse(options[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{options[i]}'; {Usage}");
                    return 2;
            }
        }

        if (options.Length % 2 != 0)
        {
            Console.Error.WriteLine($"option '{options[^1]}' needs a value; {Usage}");
            return 2;
        }

        BenchBackend.Initialize();
        var root = Path.GetDirectoryName(RepositoryLayout.NativeDirectory)!;
        var workload = PeerWorkload.Create(threads, rounds, maxTokens);
        workload.Save(folder, PeerWorkload.GrammarFrom(root));
        Console.WriteLine(
            $"workload: {workload.ModelDescription}, {workload.ModelParameters / 1e6:F1}M parameters, {workload.ModelPath}; " +
            $"prompt {workload.PromptTokens.Length} tokens; grammar from {workload.GrammarSource}; into {folder}");
        return 0;
    }

    /// <summary>
    /// One context per thread count, each warmed up, then rounds in which every setting takes its turn (plain, then
    /// under the grammar), so a burst of load elsewhere on the machine hits them alike.
    /// </summary>
    private static void RunOurs(string folder, int pass)
    {
        var workload = PeerWorkload.Load(folder);
        var grammar = PeerWorkload.ReadGrammar(folder);
        var backend = BenchBackend.Initialize();
        var loadBefore = PeerRunFile.LoadAverage();
        using var model = LlamaModel.Load(workload.ModelPath);
        var contexts = workload.Threads.Select(threads => model.CreateContext(new LlamaContextOptions
        {
            ContextSize = workload.ContextSize,
            BatchSize = workload.BatchSize,
            Threads = threads,
            ThreadsBatch = threads,
        })).ToList();
        var runs = new List<PeerRun>();
        try
        {
            string?[] grammars = [null, grammar];
            foreach (var context in contexts)
            {
                foreach (var g in grammars)
                {
                    context.Generate(workload.PromptTokens.AsSpan(0, 16), new GenerationOptions { Grammar = g, MaxTokens = 8 });
                }
            }

            for (var round = 0; round < workload.Rounds; round++)
            {
                foreach (var context in contexts)
                {
                    foreach (var g in grammars)
                    {
                        var result = context.Generate(workload.PromptTokens, new GenerationOptions
                        {
                            Grammar = g,
                            Sampler = SamplerSettings.Greedy,
                            MaxTokens = workload.MaxTokens,
                        });
                        var ended = result.StopReason == StopReason.EndOfGeneration;
                        runs.Add(new PeerRun(
                            context.Threads,
                            g is not null,
                            round,
                            result.PromptTokens,
                            result.PromptTime.TotalSeconds,
                            result.GeneratedTokens,
                            ended ? result.GeneratedTokens : result.GeneratedTokens - 1,
                            result.GenerationTime.TotalSeconds,
                            ended ? PeerRun.EndOfGeneration : PeerRun.MaxTokens,
                            [.. result.TokenIds]));
                    }
                }
            }
        }
        finally
        {
            contexts.ForEach(c => c.Dispose());
        }

        new PeerRunFile("ours", $"DocExtract.Llama ({backend})", pass, [loadBefore, PeerRunFile.LoadAverage()], [.. runs]).Save(folder);
        Console.WriteLine($"ours, pass {pass}: {runs.Count} runs");
    }
}
