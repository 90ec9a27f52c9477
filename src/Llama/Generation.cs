namespace DocExtract.Llama;

/// <summary>How the next token is chosen among those the grammar allows.</summary>
public sealed record SamplerSettings
{
    /// <summary>Always the most likely token: the same prompt gives the same output.</summary>
    public static SamplerSettings Greedy { get; } = new();

    /// <summary>0 means greedy; above 0, tokens are drawn from the softmax of logits / temperature.</summary>
    public float Temperature { get; init; }

    /// <summary>Seeds the draw when <see cref="Temperature"/> is above 0, so a run can be repeated exactly.</summary>
    public uint Seed { get; init; }

    /// <summary>Draw only among the k most likely tokens; 0 turns this off.</summary>
    public int TopK { get; init; }

    /// <summary>Draw only among the most likely tokens whose probabilities add up to p; 1 turns this off.</summary>
    public float TopP { get; init; } = 1;

    /// <summary>
    /// Checks every token of the vocabulary against the grammar at every step, as before issue #11, instead of a
    /// shortlist of the highest logits where that gives the same answer; for comparisons (tests, bench/sampling.sh).
    /// </summary>
    public bool FullVocabulary { get; init; }

    public bool IsGreedy => Temperature <= 0;

    public static SamplerSettings Random(float temperature, uint seed) => new() { Temperature = temperature, Seed = seed };

    internal void Validate()
    {
        if (!float.IsFinite(Temperature) || Temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be 0 (greedy) or positive");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(TopK, nameof(TopK));
        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1]");
        }
    }
}

public sealed record GenerationOptions
{
    /// <summary>A GBNF grammar (start rule <c>root</c>) every generated token must keep to; null for free text.</summary>
    public string? Grammar { get; init; }

    public SamplerSettings Sampler { get; init; } = SamplerSettings.Greedy;

    /// <summary>Stop after this many tokens if the model has not ended the text by itself.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>The KV-cache sequence to use, below the context's <see cref="LlamaContext.MaxSequences"/>.</summary>
    public int SequenceId { get; init; }

    /// <summary>
    /// Records, for each generated token, this many most likely tokens the grammar allowed at that step (like an
    /// API's top_logprobs), in <see cref="GenerationResult.Alternatives"/>; 0 records none.
    /// </summary>
    public int Alternatives { get; init; }
}

/// <summary>A token the grammar allowed at a step, with its log-probability under the same masked softmax as the chosen one.</summary>
public readonly record struct TokenAlternative(int Token, float LogProbability);

public enum StopReason
{
    /// <summary>The model produced an end-of-generation token (with a grammar: only once the grammar was complete).</summary>
    EndOfGeneration,

    /// <summary><see cref="GenerationOptions.MaxTokens"/> was reached first.</summary>
    MaxTokens,
}

/// <param name="Text">The generated tokens' pieces joined: exactly the text the grammar accepted.</param>
/// <param name="TokenIds">The generated tokens, without the end-of-generation token.</param>
/// <param name="TokenLogProbabilities">
/// For each generated token, the natural log of its probability under the model's unscaled logits with the
/// grammar applied: a softmax over the tokens the grammar allowed at that step. Near 0 means the model was sure.
/// </param>
public sealed record GenerationResult(
    string Text,
    IReadOnlyList<int> TokenIds,
    IReadOnlyList<float> TokenLogProbabilities,
    StopReason StopReason,
    int PromptTokens,
    int GeneratedTokens,
    TimeSpan PromptTime,
    TimeSpan GenerationTime)
{
    /// <summary>Prompt tokens copied from a cached shared prefix instead of evaluated (part of <see cref="PromptTokens"/>).</summary>
    public int PromptTokensReused { get; init; }

    /// <summary>How long the prompt waited for a free slot of a <see cref="BatchScheduler"/>.</summary>
    public TimeSpan QueueTime { get; init; }

    /// <summary>Per generated token, the most likely allowed tokens at its step (<see cref="GenerationOptions.Alternatives"/>); null when none were asked for.</summary>
    public IReadOnlyList<TokenAlternative[]>? Alternatives { get; init; }

    /// <summary>Time spent choosing tokens (grammar, softmax, alternatives), part of <see cref="GenerationTime"/>.</summary>
    public TimeSpan SamplingTime { get; init; }

    /// <summary>Steps whose grammar check covered the whole vocabulary because a shortlist could not give the same answer (issue #11).</summary>
    public int FullVocabularySteps { get; init; }
}
