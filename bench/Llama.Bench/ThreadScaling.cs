using System.Globalization;
using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Bench;

/// <summary>
/// Prompt and generation speed by thread count, the measurement behind LlamaContextOptions.DefaultThreads.
/// Run: dotnet run -c Release --project bench/Llama.Bench -- threads [maxThreads] [tiny|benchmark]
/// One run is a 512-token prompt followed by 128 greedy tokens; the settings take turns run by run (so a burst of
/// load elsewhere on the machine hits them all alike) and each row is the median of its runs.
/// </summary>
internal static class ThreadScaling
{
    private const int PromptLength = 512;
    private const int GeneratedTokens = 128;
    private const int Rounds = 7;

    public static void Run(string[] args)
    {
        var maxThreads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var spec = args.Length > 1 && args[1] == "tiny" ? RandomModelSpec.Tiny : RandomModelSpec.Benchmark;
        using var model = LlamaModel.Load(TestModels.GetOrCreate(spec));
        Console.WriteLine($"model: {model.Description}, {model.ParameterCount / 1e6:F1}M parameters, {model.Path}");
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");

        // A fixed pseudo-random prompt: the model is random, so the text does not matter, only the length.
        var random = new Random(7);
        var prompt = Enumerable.Range(0, PromptLength).Select(_ => random.Next(3, model.VocabularySize)).ToArray();
        var options = new GenerationOptions { MaxTokens = GeneratedTokens };

        var settings = Enumerable.Range(1, maxThreads).Select(t => (Threads: t, Batch: t)).ToList();
        if (maxThreads > 1)
        {
            settings.Add((1, maxThreads));
        }

        var contexts = settings.Select(s => model.CreateContext(new LlamaContextOptions
        {
            ContextSize = 1024,
            BatchSize = PromptLength,
            Threads = s.Threads,
            ThreadsBatch = s.Batch,
        })).ToList();
        var promptRates = settings.Select(_ => new List<double>()).ToList();
        var generationRates = settings.Select(_ => new List<double>()).ToList();
        try
        {
            foreach (var context in contexts)
            {
                context.Generate(prompt.AsSpan(0, 16), options with { MaxTokens = 8 });
            }

            for (var round = 0; round < Rounds; round++)
            {
                for (var i = 0; i < contexts.Count; i++)
                {
                    var result = contexts[i].Generate(prompt, options);
                    promptRates[i].Add(result.PromptTokens / result.PromptTime.TotalSeconds);
                    generationRates[i].Add(result.GeneratedTokens / result.GenerationTime.TotalSeconds);
                }
            }
        }
        finally
        {
            contexts.ForEach(c => c.Dispose());
        }

        Console.WriteLine("threads (generation/batch)  prompt tok/s (min-max)     generation tok/s (min-max)");
        for (var i = 0; i < settings.Count; i++)
        {
            Console.WriteLine(
                $"{$"{settings[i].Threads}/{settings[i].Batch}",26}  {Summary(promptRates[i]),-26} {Summary(generationRates[i])}");
        }

        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static string Summary(List<double> values)
    {
        values.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{values[values.Count / 2],6:F0} ({values[0]:F0}-{values[^1]:F0})");
    }
}
