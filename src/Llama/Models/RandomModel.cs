using DocExtract.Llama.Gguf;

namespace DocExtract.Llama.Models;

/// <summary>
/// The shape of a generated llama-architecture model. Weights are random (seeded, so every run writes the same
/// file); the tokenizer is a real one copied from a vocab-only GGUF of the llama.cpp source, so tokenization,
/// chat templates and grammars behave as with a real model even though the output is noise.
/// </summary>
public sealed record RandomModelSpec
{
    /// <summary>About 4M parameters, mostly the 32000x64 embedding and output matrices: loads and decodes in milliseconds.</summary>
    public static RandomModelSpec Tiny { get; } = new();

    /// <summary>About 60M parameters (512 wide, 8 layers, 32000-token vocab), for benchmarks.</summary>
    public static RandomModelSpec Benchmark { get; } = new()
    {
        EmbeddingLength = 512,
        BlockCount = 8,
        HeadCount = 8,
        HeadCountKv = 8,
        FeedForwardLength = 1536,
    };

    public int EmbeddingLength { get; init; } = 64;

    public int BlockCount { get; init; } = 2;

    public int HeadCount { get; init; } = 4;

    /// <summary>Below <see cref="HeadCount"/> for grouped-query attention.</summary>
    public int HeadCountKv { get; init; } = 2;

    public int FeedForwardLength { get; init; } = 192;

    public int ContextLength { get; init; } = 4096;

    public GgmlType WeightType { get; init; } = GgmlType.F32;

    public int Seed { get; init; } = 20240607;

    /// <summary>Standard deviation of the normally distributed weights.</summary>
    public float WeightScale { get; init; } = 0.02f;

    /// <summary>
    /// Standard deviation of the output matrix's weights; null means <see cref="WeightScale"/>. Larger makes the
    /// logits spread like a trained model's (a few tokens far above the rest) instead of nearly flat.
    /// </summary>
    public float? OutputWeightScale { get; init; }

    /// <summary>A vocab file of the llama.cpp source (.tools/llama.cpp/models) whose tokenizer.* metadata is copied.</summary>
    public string VocabFile { get; init; } = "ggml-vocab-llama-spm.gguf";

    /// <summary>
    /// A ChatML template: llama_chat_apply_template recognizes it by its "&lt;|im_start|&gt;". Null keeps the vocab
    /// file's own tokenizer.chat_template (the model family's), or none where the file has none.
    /// </summary>
    public string? ChatTemplate { get; init; } =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}" +
        "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public int HeadDimension => EmbeddingLength / HeadCount;
}

/// <summary>
/// Writes <see cref="RandomModelSpec"/> models as GGUF files: the Quickstart's demo model (tools/ModelGen) and the
/// tests' models (TestSupport's TestModels, which caches them).
/// </summary>
public static class RandomModel
{
    /// <summary>
    /// Writes <paramref name="spec"/>'s model to <paramref name="path"/>, the tokenizer copied from
    /// <see cref="RandomModelSpec.VocabFile"/> in <paramref name="vocabDirectory"/> (llama.cpp's models folder).
    /// </summary>
    public static void Write(RandomModelSpec spec, string vocabDirectory, string path)
    {
        if (spec.EmbeddingLength % spec.HeadCount != 0 || spec.HeadCount % spec.HeadCountKv != 0)
        {
            throw new ArgumentException("the embedding length must divide into heads, and heads into KV heads", nameof(spec));
        }

        var vocab = GgufReader.Read(Path.Combine(vocabDirectory, spec.VocabFile));
        var vocabularySize = vocab["tokenizer.ggml.tokens"].As<string[]>().Length;
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.String("llama"))
            .Add("general.name", GgufValue.String($"docextract-test-{spec.EmbeddingLength}x{spec.BlockCount}"))
            .Add("general.file_type", GgufValue.UInt32(spec.WeightType == GgmlType.F16 ? 1u : 0u))
            .Add("llama.vocab_size", GgufValue.UInt32((uint)vocabularySize))
            .Add("llama.context_length", GgufValue.UInt32((uint)spec.ContextLength))
            .Add("llama.embedding_length", GgufValue.UInt32((uint)spec.EmbeddingLength))
            .Add("llama.block_count", GgufValue.UInt32((uint)spec.BlockCount))
            .Add("llama.feed_forward_length", GgufValue.UInt32((uint)spec.FeedForwardLength))
            .Add("llama.attention.head_count", GgufValue.UInt32((uint)spec.HeadCount))
            .Add("llama.attention.head_count_kv", GgufValue.UInt32((uint)spec.HeadCountKv))
            .Add("llama.rope.dimension_count", GgufValue.UInt32((uint)spec.HeadDimension))
            .Add("llama.rope.freq_base", GgufValue.Float32(10000f))
            .Add("llama.attention.layer_norm_rms_epsilon", GgufValue.Float32(1e-5f));
        foreach (var (key, value) in vocab.Metadata.Where(kv => kv.Key.StartsWith("tokenizer.", StringComparison.Ordinal)))
        {
            writer.Add(key, value);
        }

        if (spec.ChatTemplate is not null)
        {
            writer.Add("tokenizer.chat_template", GgufValue.String(spec.ChatTemplate));
        }

        long embedding = spec.EmbeddingLength;
        long kv = (long)spec.HeadDimension * spec.HeadCountKv;
        long ff = spec.FeedForwardLength;
        var tensor = 0;
        void Matrix(string name, long columns, long rows, float? scale = null) =>
            writer.AddTensor(name, spec.WeightType, [columns, rows], Normal(spec.Seed, tensor++, scale ?? spec.WeightScale));
        // Norm weights start at 1 as in a freshly initialized model; 1-D tensors stay F32 (llama.cpp's "except 1d").
        void Norm(string name) => writer.AddTensor(name, GgmlType.F32, [embedding], destination => destination.Fill(1f));

        Matrix("token_embd.weight", embedding, vocabularySize);
        Norm("output_norm.weight");
        Matrix("output.weight", embedding, vocabularySize, spec.OutputWeightScale);
        for (var block = 0; block < spec.BlockCount; block++)
        {
            Norm($"blk.{block}.attn_norm.weight");
            Matrix($"blk.{block}.attn_q.weight", embedding, embedding);
            Matrix($"blk.{block}.attn_k.weight", embedding, kv);
            Matrix($"blk.{block}.attn_v.weight", embedding, kv);
            Matrix($"blk.{block}.attn_output.weight", embedding, embedding);
            Norm($"blk.{block}.ffn_norm.weight");
            Matrix($"blk.{block}.ffn_gate.weight", embedding, ff);
            Matrix($"blk.{block}.ffn_up.weight", embedding, ff);
            Matrix($"blk.{block}.ffn_down.weight", ff, embedding);
        }

        writer.WriteTo(path);
    }

    /// <summary>Normal(0, scale) values by Box-Muller from a generator seeded per tensor, so each tensor is reproducible alone.</summary>
    private static GgufWriter.TensorFill Normal(int seed, int tensor, float scale)
    {
        // Not HashCode.Combine: it is randomized per process, and the files must be the same in every run.
        var random = new Random(unchecked((seed * 1_000_003) + tensor) & int.MaxValue);
        return destination =>
        {
            for (var i = 0; i < destination.Length; i += 2)
            {
                var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * scale;
                var angle = 2.0 * Math.PI * random.NextDouble();
                destination[i] = (float)(radius * Math.Cos(angle));
                if (i + 1 < destination.Length)
                {
                    destination[i + 1] = (float)(radius * Math.Sin(angle));
                }
            }
        };
    }
}
