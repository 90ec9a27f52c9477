namespace DocExtract.Llama;

/// <summary>How a <see cref="BatchScheduler"/> shares its context between documents (issue #5).</summary>
public sealed record BatchSchedulerOptions
{
    /// <summary>Documents decoded side by side; sequence ids 0 to Slots - 1 of the context.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>
    /// Shared prefixes kept in the KV cache, least recently used evicted first; they take the sequence ids after
    /// the slots. 0 turns prefix reuse off: every prompt is evaluated whole.
    /// </summary>
    public int PrefixCacheSize { get; init; }

    /// <summary>
    /// Most prompt tokens of newcomers per decode step, so the documents already generating keep moving while a
    /// long prompt is read; at most the context's batch size less one token per slot.
    /// </summary>
    public int PromptChunk { get; init; } = 256;

    /// <summary>
    /// A step that carries only generated tokens (one per generating document, no prompt chunk) and at most this
    /// many of them decodes on the context's generation thread count (<see cref="LlamaContextOptions.Threads"/>);
    /// every other step on its batch count. llama.cpp itself uses the batch count for any decode of more than one
    /// token, which for a handful of tokens is mostly threads waiting at ggml's barriers (bench/README.md,
    /// "Batching across documents"). 0 keeps llama.cpp's rule.
    /// </summary>
    public int SmallStepTokens { get; init; } = DefaultSmallStepTokens;

    /// <summary>
    /// The default of <see cref="SmallStepTokens"/>: llama.cpp's rule. On an idle machine two threads beat one even for
    /// a 4-token step (bench/README.md: 50.7 against 41.5 documents/min at N = 4); 16 only pays where other processes
    /// compete for the cores, where it keeps small steps from collapsing.
    /// </summary>
    public const int DefaultSmallStepTokens = 0;

    /// <summary>
    /// Threads that choose the sequences' next tokens after each decode step (issue #11): each sequence has its own
    /// grammar sampler, so they run side by side on the thread pool. 1 samples them one after another on the decode
    /// thread. The decode threads are idle meanwhile, so every core is free for it.
    /// </summary>
    public int SamplingThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>The sequences a context needs for these options.</summary>
    public int Sequences => Slots + PrefixCacheSize;

    internal void Validate(LlamaContext context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Slots, 1, nameof(Slots));
        ArgumentOutOfRangeException.ThrowIfNegative(PrefixCacheSize, nameof(PrefixCacheSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(PromptChunk, 1, nameof(PromptChunk));
        ArgumentOutOfRangeException.ThrowIfNegative(SmallStepTokens, nameof(SmallStepTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(SamplingThreads, 1, nameof(SamplingThreads));
        if (Sequences > context.MaxSequences)
        {
            throw new ArgumentException(
                $"{Slots} slots and {PrefixCacheSize} cached prefixes need {Sequences} sequences; the context has {context.MaxSequences}");
        }

        if (Slots >= context.BatchSize)
        {
            throw new ArgumentException($"{Slots} slots leave no room for prompt tokens in a batch of {context.BatchSize}");
        }
    }
}

/// <summary>
/// A prompt whose first part, <paramref name="Prefix"/>, is the same for every prompt with the same
/// <paramref name="PrefixKey"/> (a document type's instructions): the scheduler evaluates it once and copies it.
/// </summary>
public sealed record ScheduledPrompt(string? PrefixKey, int[] Prefix, int[] Rest)
{
    public int Length => Prefix.Length + Rest.Length;

    /// <summary>A prompt with nothing to share.</summary>
    public static ScheduledPrompt Unshared(int[] tokens) => new(null, [], tokens);
}

/// <summary>
/// Decode steps since the scheduler started, how many of them ran on the generation thread count
/// (<see cref="BatchSchedulerOptions.SmallStepTokens"/>), and the time the steps spent in llama_decode and in
/// choosing the tokens after it: where a step's time goes (bench/batching.sh).
/// </summary>
public sealed record StepStatistics(long Steps, long StepsOnGenerationThreads, TimeSpan DecodeTime, TimeSpan SamplingTime);

/// <summary>Prefix cache counters since the scheduler started.</summary>
public sealed record PrefixCacheStatistics(long Hits, long Misses, long Evictions, long TokensSaved);
