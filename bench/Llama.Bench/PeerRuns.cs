using System.Text.Json;

namespace DocExtract.Llama.Bench;

/// <summary>
/// One measured generation. Both engines write these (ours-N.json, peer-N.json; bench/peer/bench.mjs writes the same
/// shape), so the report compares like with like.
/// </summary>
/// <param name="GenerationSteps">
/// Tokens decoded during generation: the generated tokens but the last one, which is never fed back, plus that last
/// one when the model then ended the text. Rates are steps over time for both engines; see bench/README.md.
/// </param>
/// <param name="Stop">"max" when <see cref="PeerWorkload.MaxTokens"/> was reached, "eog" when the model ended the text.</param>
internal sealed record PeerRun(
    int Threads,
    bool Grammar,
    int Round,
    int PromptTokens,
    double PromptSeconds,
    int GeneratedTokens,
    int GenerationSteps,
    double GenerationSeconds,
    string Stop,
    int[] TokenIds)
{
    public const string EndOfGeneration = "eog";
    public const string MaxTokens = "max";

    public double PromptRate => PromptTokens / PromptSeconds;

    public double GenerationRate => GenerationSteps / GenerationSeconds;
}

/// <param name="Engine">"ours" or "peer"; the file names start with it.</param>
/// <param name="Description">The engine, its version and native build, in one line.</param>
/// <param name="Load">The 1-minute load average before and after the pass: other work on the machine shows here.</param>
internal sealed record PeerRunFile(string Engine, string Description, int Pass, double[] Load, PeerRun[] Runs)
{
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    public static string PathFor(string folder, string engine, int pass) => Path.Combine(folder, $"{engine}-{pass}.json");

    public static IReadOnlyList<PeerRunFile> LoadAll(string folder, string engine) =>
        Directory.GetFiles(folder, $"{engine}-*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => JsonSerializer.Deserialize<PeerRunFile>(File.ReadAllText(path), PeerWorkload.Json)
                ?? throw new InvalidDataException($"{path} is empty"))
            .ToList();

    public void Save(string folder) => File.WriteAllText(PathFor(folder, Engine, Pass), JsonSerializer.Serialize(this, PeerWorkload.Json));
}
