using System.ComponentModel.DataAnnotations;

namespace DocExtract.Worker.Processing;

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Documents one worker process handles at the same time; 0 means as many as the LLM decodes side by side (Llm:MaxSequences).</summary>
    [Range(0, int.MaxValue)]
    public int ConcurrentMessageLimit { get; set; }

    /// <summary>Messages RabbitMQ hands this worker ahead of time; 0 means twice the concurrency.</summary>
    [Range(0, int.MaxValue)]
    public int PrefetchCount { get; set; }

    /// <summary>
    /// A document whose processing was interrupted this many times (the worker died under it) fails instead of
    /// being tried again, so one poisonous PDF cannot take the workers down in a loop.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Retries of a transient fault (database or broker away) before the document fails.</summary>
    [Range(0, int.MaxValue)]
    public int TransientRetries { get; set; } = 5;

    /// <summary>
    /// The model tier this worker serves (#12, the cascade of local models): it loads Llm:Tiers:N's model and consumes
    /// that tier's queue. 0, the first tier, unless Llm:Tiers configures more.
    /// </summary>
    public int Tier { get; set; }

    /// <summary>Where PDFs are written while the tools read them.</summary>
    public string? TempDirectory { get; set; }

    public int EffectiveConcurrency(int llmSequences) => ConcurrentMessageLimit > 0 ? ConcurrentMessageLimit : Math.Max(1, llmSequences);

    public int EffectivePrefetch(int llmSequences) => PrefetchCount > 0 ? PrefetchCount : Math.Max(2, EffectiveConcurrency(llmSequences) * 2);
}
