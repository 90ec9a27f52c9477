using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocExtract.Llama.Models;

namespace DocExtract.TestSupport;

/// <summary>The tests' generated models: <see cref="RandomModel"/> writes each spec once into a cache folder.</summary>
public static class TestModels
{
    /// <summary>Overrides the cache folder (default: docextract-test-models in the temp folder).</summary>
    public const string CacheVariable = "DOCEXTRACT_TEST_MODEL_CACHE";

    // Bump when RandomModel's output changes, so cached files from an older generator are not reused.
    private const int GeneratorVersion = 1;

    private static readonly Lock _gate = new();

    /// <summary>The path of the tiny test model, generated on first use.</summary>
    public static string Tiny => GetOrCreate(RandomModelSpec.Tiny);

    /// <summary>
    /// <see cref="Tiny"/>'s shape with weights of another seed: a second model (another file, another SHA-256) for a
    /// cascade's second tier in tests (#12), as fast as the first.
    /// </summary>
    public static string TinyOther => GetOrCreate(RandomModelSpec.Tiny with { Seed = 20261129 });

    public static string Benchmark => GetOrCreate(RandomModelSpec.Benchmark);

    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "docextract-test-models");

    /// <summary>
    /// The cached file for <paramref name="spec"/>, written first if missing. Written to a temporary name and
    /// renamed, so parallel test processes never see half a file.
    /// </summary>
    public static string GetOrCreate(RandomModelSpec spec)
    {
        var vocab = RepositoryLayout.VocabFile(spec.VocabFile);
        var path = Path.Combine(CacheDirectory, $"llama-{spec.EmbeddingLength}x{spec.BlockCount}-{spec.WeightType}-{CacheKey(spec, vocab)}.gguf");
        lock (_gate)
        {
            if (File.Exists(path))
            {
                return path;
            }

            Directory.CreateDirectory(CacheDirectory);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            try
            {
                RandomModel.Write(spec, RepositoryLayout.VocabDirectory, temporary);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            return path;
        }
    }

    private static string CacheKey(RandomModelSpec spec, string vocabPath)
    {
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{GeneratorVersion}|{spec.EmbeddingLength}|{spec.BlockCount}|{spec.HeadCount}|{spec.HeadCountKv}|" +
            $"{spec.FeedForwardLength}|{spec.ContextLength}|{spec.WeightType}|{spec.Seed}|{spec.WeightScale:R}|" +
            $"{spec.VocabFile}|{new FileInfo(vocabPath).Length}|{spec.ChatTemplate}{(spec.OutputWeightScale is { } output ? $"|output {output:R}" : "")}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];
    }
}
