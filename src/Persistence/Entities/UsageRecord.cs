namespace DocExtract.Persistence.Entities;

/// <summary>
/// What one attempt at an extraction of a document used (issue #12): its route, tier and model, the LLM's tokens, the wall time of
/// each stage and its share of the worker's slot-seconds. The worker writes it in the transaction that stores the
/// result. It holds no file name, text or data, so it outlives the document: deleting the document (by hand or by
/// retention) sets <see cref="DocumentId"/> to null and the totals stay.
/// </summary>
public sealed class UsageRecord
{
    /// <summary>
    /// The extraction's id. With <see cref="Tier"/> the row's key: one row per model tier that worked on the extraction
    /// (#12), so a redelivered message cannot count twice.
    /// </summary>
    public Guid Id { get; init; }

    /// <summary>Null once the document is deleted.</summary>
    public Guid? DocumentId { get; init; }
    public required string TenantId { get; init; }

    /// <summary>The document type the data was made with (<c>unknown</c> when classification found none).</summary>
    public required string DocumentType { get; init; }

    /// <summary>How the data was obtained: <see cref="UsageRoutes"/>.</summary>
    public required string Route { get; init; }

    /// <summary>The model tier of this attempt (Worker:Tier of the worker that made it; 0 without a cascade).</summary>
    public int Tier { get; init; }

    /// <summary>The model file's name and SHA-256; null when no model was used.</summary>
    public string? Model { get; init; }
    public string? ModelSha256 { get; init; }

    /// <summary>Prompt tokens the model evaluated, and those it reused from the prompt cache (#5).</summary>
    public int PromptTokensEvaluated { get; init; }
    public int PromptTokensReused { get; init; }
    public int GeneratedTokens { get; init; }

    public double TextMs { get; init; }
    public double LlmMs { get; init; }

    /// <summary>The write of the result, commit included: filled in just after the commit, so null if that failed.</summary>
    public double? PersistMs { get; set; }

    /// <summary>
    /// Seconds the document held one of the worker's <see cref="WorkerSlots"/> (text, LLM and persist): the worker's
    /// busy time is the sum of these over its slots.
    /// </summary>
    public double SlotSeconds { get; set; }

    /// <summary>How many documents the worker handled at once when it made this row (Worker:ConcurrentMessageLimit).</summary>
    public int WorkerSlots { get; init; }

    /// <summary>Which worker process: host name and process id.</summary>
    public required string Worker { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class UsageRoutes
{
    /// <summary>The document's text read by the LLM.</summary>
    public const string Llm = "llm";

    /// <summary>Text only: no model is configured, so no data was made.</summary>
    public const string TextOnly = "text-only";

    /// <summary>The document failed: no data was made; the row holds what was used before it did (#12).</summary>
    public const string Failed = "failed";
}
