using DocExtract.Persistence.Entities;

namespace DocExtract.Persistence.Results;

/// <summary>
/// One model tier's try at an extraction (#12, the cascade of local models), kept in the result's <c>attempts</c> so a
/// reviewer sees which models read the document, what each cost, how sure each was (mean and lowest value confidence) and why it went on.
/// <paramref name="Outcome"/> is <c>escalated</c> for a tier that passed the document on, else the document's status.
/// <paramref name="EscalatedFor"/> holds the review reasons that sent it to the next tier (empty for the last attempt).
/// </summary>
public sealed record TierAttempt(
    int Tier,
    string? Model,
    string Route,
    int PromptTokensEvaluated,
    int PromptTokensReused,
    int GeneratedTokens,
    double LlmMs,
    double TotalMs,
    double? MeanConfidence,
    double? LowestConfidence,
    string? LowestPointer,
    int ReviewReasons,
    string Outcome,
    IReadOnlyList<ReviewReason> EscalatedFor,
    string Worker,
    DateTimeOffset CreatedAt)
{
    public const string Escalated = "escalated";

    public static TierAttempt Of(UsageRecord usage, ResultContent content, string outcome, IReadOnlyList<ReviewReason> escalatedFor) => new(
        usage.Tier, usage.Model, usage.Route, usage.PromptTokensEvaluated, usage.PromptTokensReused, usage.GeneratedTokens,
        content.Timings.LlmMs, content.Timings.TotalMs,
        content.Confidence?.Mean, content.Confidence?.Lowest?.Confidence, content.Confidence?.Lowest?.Pointer, content.Review.Reasons.Count, outcome, escalatedFor,
        content.Worker, content.CreatedAt);
}
