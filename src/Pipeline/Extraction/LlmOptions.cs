using System.ComponentModel.DataAnnotations;
using DocExtract.Llama;
using DocExtract.Llama.Models;

namespace DocExtract.Pipeline.Extraction;

public sealed class LlmOptions : IValidatableObject
{
    public const string Section = "Llm";

    /// <summary>
    /// Four: the smallest slot count within a few percent of the best measured by bench/batching.sh (bench/README.md,
    /// "Batching across documents"). The price: logits move in the last bits with the width of the decode step, so in
    /// a rare near-tie a document's JSON can depend on which others shared its steps. 1 rules that out.
    /// </summary>
    public const int DefaultMaxSequences = 4;

    /// <summary>llama_max_parallel_sequences(): LLAMA_MAX_SEQ in llama.cpp's src/llama-cparams.h.</summary>
    public const int MaxContextSequences = 256;

    /// <summary>
    /// The model: a name from `scripts/models.sh list` (looked up in <see cref="ModelsDirectory"/>) or the path of a
    /// GGUF file (a value with a '/' or ending .gguf). Empty: no LLM stage, the result carries the text and <c>data: null</c>.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>The earlier name of <see cref="Model"/>, read when that is empty (a name or a path alike).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Where `scripts/models.sh` keeps models, and where a model name is looked up.</summary>
    public string ModelsDirectory { get; set; } = ModelStore.DefaultDirectory;

    /// <summary><see cref="Model"/>, else <see cref="ModelPath"/>: the one value model resolution starts from.</summary>
    public string? ModelReference => string.IsNullOrWhiteSpace(Model) ? ModelPath : Model;

    /// <summary>
    /// The chat template prompts are framed with: empty for the model's own, else one of llama.cpp's built-in
    /// template names (chatml, llama3, gemma...) or the path of a template file (issue #11, see PromptTemplate).
    /// </summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Auto (CUDA where it loads, else CPU), Cpu or Cuda.</summary>
    public LlamaBackendKind Backend { get; set; } = LlamaBackendKind.Auto;

    /// <summary>The folder with cpu/ (and cuda/) that scripts/fetch-llama.sh fills; default: found above the program.</summary>
    public string? NativeDirectory { get; set; }

    /// <summary>Layers offloaded to the GPU under CUDA; -1 means all of them.</summary>
    [Range(-1, int.MaxValue)]
    public int GpuLayers { get; set; } = LlamaModelOptions.AllLayers;

    /// <summary>Tokens of prompt plus answer one document may use.</summary>
    [Range(16, int.MaxValue)]
    public int ContextSize { get; set; } = 8192;

    /// <summary>Tokens evaluated per llama_decode call while reading the prompt.</summary>
    [Range(1, int.MaxValue)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Documents decoded side by side in one context (continuous batching, #5); the worker takes as many messages at once.</summary>
    [Range(1, MaxContextSequences)]
    public int MaxSequences { get; set; } = DefaultMaxSequences;

    /// <summary>Document types whose instructions stay evaluated in the KV cache (least recently used evicted); 0 turns reuse off.</summary>
    [Range(0, int.MaxValue)]
    public int PrefixCacheSize { get; set; } = 1;

    /// <summary>Most prompt tokens of newly started documents per decode step, so running documents keep generating.</summary>
    [Range(1, int.MaxValue)]
    public int PromptChunk { get; set; } = 256;

    /// <summary>
    /// Generation steps (one token per running document, no prompt chunk) of at most this many tokens decode on
    /// <see cref="Threads"/> instead of <see cref="ThreadsBatch"/>; 0 leaves llama.cpp's rule (the batch count for any
    /// decode of more than one token). See BatchSchedulerOptions.SmallStepTokens and bench/README.md.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int SmallStepTokens { get; set; } = BatchSchedulerOptions.DefaultSmallStepTokens;

    /// <summary>
    /// Threads that choose the next tokens of the documents in a decode step side by side (issue #11); 0 means one per
    /// core (Environment.ProcessorCount), 1 one after another on the decode thread.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int SamplingThreads { get; set; }

    /// <summary>Threads for generation and for prompt processing; 0 means the measured default (see src/Llama).</summary>
    [Range(0, int.MaxValue)]
    public int Threads { get; set; }

    [Range(0, int.MaxValue)]
    public int ThreadsBatch { get; set; }

    /// <summary>Most tokens the answer may take before the attempt counts as incomplete.</summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>Attempts per document when the answer is incomplete or fails validation.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>0 is greedy decoding (deterministic); above 0, sampling with <see cref="Seed"/> (deterministic too).</summary>
    [Range(0.0, double.MaxValue)]
    public float Temperature { get; set; }

    public uint Seed { get; set; } = 42;

    /// <summary>Document tokens shown to the classifier when the type is <c>auto</c>.</summary>
    [Range(1, int.MaxValue)]
    public int ClassificationTokens { get; set; } = 1024;

    /// <summary>
    /// With <c>auto</c>, the least probability the classifier must give its best type (#6); below it the document's
    /// type is <c>unknown</c> and it waits in needs_review instead of being forced into a type. 0 always takes the best.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ClassificationConfidence { get; set; } = 0.5;

    /// <summary>Types listed with their probabilities in an <c>auto</c> result; each one after the first costs one more short classifier run.</summary>
    [Range(0, int.MaxValue)]
    public int ClassificationCandidates { get; set; } = 3;

    /// <summary>A value whose confidence is below this sends the document to needs_review (#6); 0 turns the check off.</summary>
    [Range(0.0, 1.0)]
    public double ReviewConfidence { get; set; } = 0.5;

    /// <summary>
    /// The rules between settings that llama.cpp and the scheduler hold the context to, checked at start: llama.cpp
    /// asserts (GGML_ASSERT n_outputs_max, killing the process) when a context has more sequences, the slots and the
    /// cached prefixes together, than tokens in a batch, and holds at most 256; the scheduler needs a batch with room
    /// for a prompt token beside one generated token per slot.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var sequences = MaxSequences + PrefixCacheSize;
        if (sequences > BatchSize)
        {
            yield return new ValidationResult(
                $"Llm:MaxSequences ({MaxSequences}) plus Llm:PrefixCacheSize ({PrefixCacheSize}) must not exceed Llm:BatchSize ({BatchSize}): " +
                "llama.cpp needs a batch of at least one token per sequence", [nameof(MaxSequences), nameof(BatchSize)]);
        }
        else if (MaxSequences >= BatchSize)
        {
            yield return new ValidationResult(
                $"Llm:MaxSequences ({MaxSequences}) must be below Llm:BatchSize ({BatchSize}): a batch needs room for prompt tokens beside one token per document",
                [nameof(MaxSequences), nameof(BatchSize)]);
        }
        if (sequences > MaxContextSequences)
        {
            yield return new ValidationResult(
                $"Llm:MaxSequences ({MaxSequences}) plus Llm:PrefixCacheSize ({PrefixCacheSize}) must not exceed {MaxContextSequences}, the sequences llama.cpp holds in one context",
                [nameof(MaxSequences), nameof(PrefixCacheSize)]);
        }
    }
}
