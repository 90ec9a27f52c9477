using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DocExtract.Llama.Bench;

/// <summary>
/// Issue #5: documents per minute through <see cref="BatchScheduler"/> at several slot counts, with and without the
/// shared-prefix cache, against node-llama-cpp's multi-sequence context on the same tokens (bench/batching.sh).
/// </summary>
internal static class Batching
{
    public static int Run(string[] args)
    {
        var command = args.ElementAtOrDefault(0);
        var folder = args.ElementAtOrDefault(1);
        if (folder is null)
        {
            Console.Error.WriteLine("usage: batching workload|ours|report <folder> [--documents N] [--max-tokens N] [--sequences 1,2,4] [--model FILE] " +
                "[--small-step-tokens N] [--prefix-reuse off,on] [--backend cpu|cuda|auto] (the last three: ours)");
            return 2;
        }

        switch (command)
        {
            case "workload":
                BenchBackend.Initialize();
                var workload = BatchingWorkload.Create(
                    int.Parse(Option(args, "--documents") ?? "64", CultureInfo.InvariantCulture),
                    int.Parse(Option(args, "--max-tokens") ?? "96", CultureInfo.InvariantCulture),
                    [.. (Option(args, "--sequences") ?? "1,2,4,8,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
                    Option(args, "--model") is { } model ? Path.GetFullPath(model) : null);
                workload.Save(folder);
                Console.WriteLine($"{workload.Documents.Length} documents of {workload.Documents.Min(d => d.Length)}-{workload.Documents.Max(d => d.Length)} tokens, " +
                    $"shared prefix {workload.PrefixTokens.Length} tokens, up to {workload.MaxTokens} generated tokens each");
                return 0;
            case "ours":
                Console.WriteLine(BenchBackend.Initialize(Enum.Parse<LlamaBackendKind>(Option(args, "--backend") ?? "cpu", ignoreCase: true)));
                Ours(
                    folder,
                    int.Parse(Option(args, "--small-step-tokens") ?? $"{BatchSchedulerOptions.DefaultSmallStepTokens}", CultureInfo.InvariantCulture),
                    [.. (Option(args, "--prefix-reuse") ?? "off,on").Split(',').Select(s => s == "on")]);
                return 0;
            case "report":
                Report(folder);
                return 0;
            default:
                Console.Error.WriteLine($"unknown batching step '{command}'; known: workload, ours, report");
                return 2;
        }
    }

    private static void Ours(string folder, int smallStepTokens, bool[] prefixReuse)
    {
        var workload = BatchingWorkload.Load(folder);
        var grammar = File.ReadAllText(Path.Combine(folder, BatchingWorkload.GrammarFileName));
        using var model = LlamaModel.Load(workload.ModelPath);
        var options = new GenerationOptions { Grammar = grammar, MaxTokens = workload.MaxTokens };
        var runs = new List<BatchingRun>();
        foreach (var sequences in workload.Sequences)
        {
            foreach (var reuse in prefixReuse)
            {
                var scheduling = new BatchSchedulerOptions { Slots = sequences, PrefixCacheSize = reuse ? 1 : 0, SmallStepTokens = smallStepTokens };
                using var context = model.CreateContext(new LlamaContextOptions
                {
                    ContextSize = workload.ContextPerSequence * scheduling.Sequences,
                    BatchSize = workload.BatchSize,
                    MaxSequences = scheduling.Sequences,
                    ThreadsBatch = workload.Threads,
                });
                using var scheduler = new BatchScheduler(context, scheduling);
                var started = Stopwatch.GetTimestamp();
                var results = Task.WhenAll(workload.Documents.Select(document =>
                    scheduler.SubmitAsync(new ScheduledPrompt("invoice", workload.PrefixTokens, document), options))).GetAwaiter().GetResult();
                var steps = scheduler.StepStatistics;
                var run = new BatchingRun(sequences, reuse, results.Length, Stopwatch.GetElapsedTime(started).TotalSeconds,
                    results.Sum(r => r.PromptTokens - r.PromptTokensReused), results.Sum(r => r.GeneratedTokens))
                {
                    DecodeSeconds = steps.DecodeTime.TotalSeconds,
                    SamplingSeconds = steps.SamplingTime.TotalSeconds,
                    Steps = steps.Steps,
                };
                runs.Add(run);
                // The split of a step: is the GPU (or the CPU's decode) waiting for the sampler?
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ours  N={sequences,2} prefix reuse {(reuse ? "on " : "off")}: {run.DocumentsPerMinute * 60,8:F0} documents/hour, " +
                    $"{run.TokensPerSecond,6:F0} tokens/s ({run.GeneratedTokens / run.Seconds:F0} generated), {run.Seconds:F1} s; per step " +
                    $"decode {run.DecodeSeconds / run.Steps * 1000:F2} ms, sampling {run.SamplingSeconds / run.Steps * 1000:F2} ms " +
                    $"({run.SamplingSeconds / (run.DecodeSeconds + run.SamplingSeconds):P0} of the step)"));
            }
        }

        File.WriteAllText(Path.Combine(folder, "ours.json"), JsonSerializer.Serialize(
            new BatchingRuns("ours", $"DocExtract.Llama ({LlamaBackend.Current.Backend}, {Path.GetFileName(workload.ModelPath)}, {Environment.ProcessorCount} cores, 1 generation thread, " +
                $"generation steps of up to {smallStepTokens} tokens on it)", runs),
            PeerWorkload.Json));
    }

    private static void Report(string folder)
    {
        var workload = BatchingWorkload.Load(folder);
        var ours = Read(Path.Combine(folder, "ours.json"));
        var peerPath = Path.Combine(folder, "peer.json");
        var peer = File.Exists(peerPath) ? Read(peerPath) : null;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"workload: {workload.Documents.Length} documents of {workload.Documents.Min(d => d.Length)}-{workload.Documents.Max(d => d.Length)} tokens " +
            $"behind a {workload.PrefixTokens.Length}-token shared prefix, 8-field grammar, greedy, up to {workload.MaxTokens} tokens each");
        text.AppendLine(CultureInfo.InvariantCulture, $"ours: {ours.Description}");
        if (peer is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"peer: {peer.Description}");
        }

        text.AppendLine("figures: documents/min (aggregate tokens/s = prompt tokens evaluated + generated, per second of wall time)");
        text.AppendLine();
        text.AppendLine("  N   ours, no prefix reuse   ours, prefix reuse      peer, its own prefix reuse");
        foreach (var n in workload.Sequences)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{n,3}   {Cell(ours.Runs.Find(r => r.Sequences == n && !r.PrefixReuse)),-22}  {Cell(ours.Runs.Find(r => r.Sequences == n && r.PrefixReuse)),-22}  {Cell(peer?.Runs.Find(r => r.Sequences == n))}");
        }

        var bestOurs = ours.Runs.MaxBy(r => r.DocumentsPerMinute)!;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"ours at its best: N={bestOurs.Sequences}, prefix reuse {(bestOurs.PrefixReuse ? "on" : "off")}, {bestOurs.DocumentsPerMinute:F1} documents/min");
        if (peer?.Runs.MaxBy(r => r.DocumentsPerMinute) is { } bestPeer)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"peer at its best: N={bestPeer.Sequences}, {bestPeer.DocumentsPerMinute:F1} documents/min");
            text.AppendLine(CultureInfo.InvariantCulture, $"ours/peer: {bestOurs.DocumentsPerMinute / bestPeer.DocumentsPerMinute:F2}");
        }

        Console.Write(text);
        File.WriteAllText(Path.Combine(folder, "report.txt"), text.ToString());
    }

    private static string Cell(BatchingRun? run) => run is null ? "-" : $"{run.DocumentsPerMinute,6:F1} ({run.TokensPerSecond:F0} tok/s)";

    private static BatchingRuns Read(string path) =>
        JsonSerializer.Deserialize<BatchingRuns>(File.ReadAllText(path), PeerWorkload.Json) ?? throw new InvalidDataException($"{path} is empty");

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

internal sealed record BatchingRuns(string Engine, string Description, List<BatchingRun> Runs);

internal sealed record BatchingRun(int Sequences, bool PrefixReuse, int Documents, double Seconds, long PromptTokensEvaluated, long GeneratedTokens)
{
    /// <summary>Time in llama_decode and in choosing tokens after it, over <see cref="Steps"/> steps; 0 for the peer, which does not say.</summary>
    public double DecodeSeconds { get; init; }

    public double SamplingSeconds { get; init; }

    public long Steps { get; init; }

    public double DocumentsPerMinute => Documents / Seconds * 60;

    public double TokensPerSecond => (PromptTokensEvaluated + GeneratedTokens) / Seconds;
}
