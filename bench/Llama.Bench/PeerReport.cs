using System.Globalization;

namespace DocExtract.Llama.Bench;

/// <summary>The table of bench/llama.sh: ours against the peer for each thread count, with and without the grammar.</summary>
internal static class PeerReport
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;

    public static void Print(string folder)
    {
        var workload = PeerWorkload.Load(folder);
        var ours = PeerRunFile.LoadAll(folder, "ours");
        var peer = PeerRunFile.LoadAll(folder, "peer");
        if (ours.Count == 0 || peer.Count == 0)
        {
            throw new InvalidOperationException($"{folder} needs ours-*.json and peer-*.json; run bench/llama.sh");
        }

        var grammarBytes = new FileInfo(Path.Combine(folder, PeerWorkload.GrammarFileName)).Length;
        Console.WriteLine(string.Create(_invariant, $"""
            model:   {workload.ModelDescription}, {workload.ModelParameters / 1e6:F1}M parameters, {workload.ModelPath}
            prompt:  {workload.PromptTokens.Length} tokens (ChatML extraction prompt over a synthetic invoice), the same ids for both
            output:  up to {workload.MaxTokens} tokens, greedy; context {workload.ContextSize}, batch {workload.BatchSize}
            grammar: {workload.GrammarSource} as GBNF ({grammarBytes} bytes), the same text for both
            ours:    {ours[0].Description}
            peer:    {peer[0].Description}
            rounds:  {ours.Sum(f => f.Runs.Length) / Math.Max(1, workload.Threads.Length * 2)} per engine and setting ({ours.Count} {(ours.Count == 1 ? "pass" : "passes")}, the engines' processes alternating), after a warm-up
            load:    1-minute load average {LoadRange(ours.Concat(peer))} over the passes ({Environment.ProcessorCount} cores)
            figures: tokens/s, median (min-max); generation counts decoded tokens (see bench/README.md)
            """));
        foreach (var threads in workload.Threads)
        {
            Console.WriteLine();
            Console.WriteLine($"threads {threads} (prompt and generation)");
            Console.WriteLine($"{"",-26}{"ours",-22}{"peer",-22}ours/peer");
            bool[] grammars = [false, true];
            var settings = grammars.Select(grammar => (
                Grammar: grammar,
                Ours: ours.SelectMany(f => f.Runs).Where(r => r.Threads == threads && r.Grammar == grammar).ToList(),
                Peer: peer.SelectMany(f => f.Runs).Where(r => r.Threads == threads && r.Grammar == grammar).ToList())).ToList();
            foreach (var (phase, rate) in new (string, Func<PeerRun, double>)[] { ("prompt", r => r.PromptRate), ("generation", r => r.GenerationRate) })
            {
                foreach (var setting in settings)
                {
                    var label = $"{phase}, {(setting.Grammar ? "grammar" : "no grammar")}";
                    var ourRates = setting.Ours.Select(rate).ToList();
                    var peerRates = setting.Peer.Select(rate).ToList();
                    Console.WriteLine(string.Create(_invariant,
                        $"{label,-26}{Summary(ourRates),-22}{Summary(peerRates),-22}{Median(ourRates) / Median(peerRates):F2}"));
                }
            }

            foreach (var setting in settings)
            {
                Console.WriteLine($"{(setting.Grammar ? "grammar" : "no grammar")}: {Output(setting.Ours, setting.Peer)}");
            }
        }
    }

    /// <summary>How many tokens each engine generated, and whether they generated the same ones (greedy on the same build should).</summary>
    private static string Output(List<PeerRun> ours, List<PeerRun> peer)
    {
        static string Counts(List<PeerRun> runs) =>
            string.Join(", ", runs.GroupBy(r => (r.GeneratedTokens, r.Stop)).Select(g => $"{g.Key.GeneratedTokens} ({g.Key.Stop})"));

        var reference = ours[0].TokenIds;
        var differing = ours.Concat(peer).FirstOrDefault(r => !r.TokenIds.AsSpan().SequenceEqual(reference));
        var sameness = differing is null
            ? "the same token ids in every run of both engines"
            : $"token ids differ (a {(ours.Contains(differing) ? "run of ours" : "peer run")} from index {FirstDifference(reference, differing.TokenIds)})";
        return $"ours generated {Counts(ours)} tokens, peer {Counts(peer)}; {sameness}";
    }

    private static string LoadRange(IEnumerable<PeerRunFile> files)
    {
        var loads = files.SelectMany(f => f.Load).ToList();
        return string.Create(_invariant, $"{loads.Min():F1}-{loads.Max():F1}");
    }

    private static int FirstDifference(int[] a, int[] b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Summary(List<double> values) =>
        string.Create(_invariant, $"{Median(values),6:F0} ({values.Min():F0}-{values.Max():F0})");
}
