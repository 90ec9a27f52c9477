namespace DocExtract.Llama;

public sealed record LlamaContextOptions
{
    /// <summary>
    /// Generation runs on one thread. Measured on the 2-core development VM with the 60M-parameter benchmark model
    /// (<c>dotnet run -c Release --project bench/Llama.Bench -- threads 2</c>: a 512-token prompt then 128 greedy
    /// tokens, 7 interleaved rounds, tokens/s as median (min-max)):
    /// <code>
    /// threads generation/batch   prompt             generation
    /// 1/1                         680 (604-688)     131 (114-132)
    /// 2/2                         970 (315-1362)    133 (4-175)
    /// 1/2                        1318 (980-1360)    131 (114-134)
    /// </code>
    /// One generated token is a handful of small matrix-vector products per layer, and ggml's threads meet at a
    /// spin barrier after every graph node: with both cores in use, one preempted thread stalls the other, and single
    /// runs with 2 threads fell to 4 tokens/s (in sequential runs: 9 tokens/s against 85 with 1 thread). A prompt
    /// batch has enough work per node for a second thread to pay (1.9x), hence <see cref="DefaultThreadsBatch"/>.
    /// </summary>
    public const int DefaultThreads = 1;

    /// <summary>Prompt batches use every core the process may run on (see <see cref="DefaultThreads"/> for the figures).</summary>
    public static int DefaultThreadsBatch => Environment.ProcessorCount;

    /// <summary>Tokens of KV cache, shared by all sequences (each gets ContextSize / MaxSequences).</summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>Most tokens per decode call (at most <see cref="ContextSize"/>); longer prompts are decoded in chunks.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Threads for generating (one token per decode).</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>Threads for prompt processing (many tokens per decode).</summary>
    public int ThreadsBatch { get; init; } = DefaultThreadsBatch;

    /// <summary>Sequences that can be in the KV cache at once (documents decoded side by side).</summary>
    public int MaxSequences { get; init; } = 1;

    /// <summary>
    /// One KV cache for all sequences instead of one stream each: a copied prefix then shares its cells (no copy),
    /// and every sequence may use the whole <see cref="ContextSize"/>.
    /// </summary>
    public bool UnifiedKvCache { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ContextSize, 16, nameof(ContextSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Threads, Interop.NativeMethods.MaxThreads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(ThreadsBatch, 1, nameof(ThreadsBatch));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ThreadsBatch, Interop.NativeMethods.MaxThreads, nameof(ThreadsBatch));
        // llama_max_parallel_sequences() is 256 (LLAMA_MAX_SEQ in src/llama-cparams.h).
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSequences, 1, nameof(MaxSequences));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxSequences, 256, nameof(MaxSequences));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxSequences, ContextSize, nameof(MaxSequences));
    }
}
