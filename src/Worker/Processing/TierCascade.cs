using DocExtract.Contracts;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;

namespace DocExtract.Worker.Processing;

/// <summary>
/// Which review reasons send a document on to the next tier (#12): <see cref="Default"/> for every type, and
/// <see cref="Types"/> per document type instead. Each value is <c>all</c>, <c>none</c>, or a comma-separated list of
/// review reason kinds (low-confidence, unsupported, unknown-type, failed-rule, contradicted).
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "Llm:Escalation";
    public const string All = "all";
    public const string None = "none";

    public string Default { get; set; } = All;

    public Dictionary<string, string> Types { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The cascade of local models as this worker sees it (#12): the tier it serves, how many there are, the next tier's
/// queue, and whether a result's review reasons escalate. Built once at start from the settings, which it checks:
/// a wrong Worker:Tier, a gap in Llm:Tiers or an unknown reason kind stops the worker with the setting's name.
/// </summary>
public sealed class TierCascade
{
    public const string TiersSection = "Llm:Tiers";

    private static readonly string[] _kinds =
        [ReviewReason.LowConfidence, ReviewReason.Unsupported, ReviewReason.UnknownType, ReviewReason.FailedRule, ReviewReason.Contradicted];

    private readonly IReadOnlySet<string>? _default;
    private readonly Dictionary<string, IReadOnlySet<string>?> _types;

    private TierCascade(int tier, int tiers, string? nextQueue, IReadOnlySet<string>? byDefault, Dictionary<string, IReadOnlySet<string>?> types)
    {
        Tier = tier;
        Tiers = tiers;
        NextQueue = nextQueue;
        _default = byDefault;
        _types = types;
    }

    /// <summary>The tier this worker serves (Worker:Tier).</summary>
    public int Tier { get; }

    /// <summary>How many tiers the settings configure: Llm:Tiers' count, or 1 without it.</summary>
    public int Tiers { get; }

    /// <summary>Whether this worker's results stand whatever their review says.</summary>
    public bool IsLast => Tier == Tiers - 1;

    /// <summary>The queue of the tier after this one; null on the last tier.</summary>
    public string? NextQueue { get; }

    /// <summary>The cascade the settings describe; throws <see cref="LlmSetupException"/> naming the setting that is wrong.</summary>
    public static TierCascade From(IConfiguration configuration, string extractQueue)
    {
        var tiers = CountTiers(configuration);
        var tier = configuration.GetSection(WorkerOptions.Section).GetValue<int>(nameof(WorkerOptions.Tier));
        if (tier < 0 || tier >= tiers)
        {
            throw new LlmSetupException(tiers == 1
                ? $"Worker:Tier is {tier}, but no {TiersSection} are configured, so the only tier is 0 (the Llm:* model): set Worker:Tier to 0 or configure {TiersSection}:{tier}"
                : $"Worker:Tier is {tier}, but {TiersSection} configures tiers 0 to {tiers - 1}: set Worker:Tier to one of them");
        }
        var escalation = configuration.GetSection(EscalationOptions.Section).Get<EscalationOptions>() ?? new EscalationOptions();
        var types = escalation.Types.ToDictionary(
            type => type.Key, type => Parse(type.Value, $"{EscalationOptions.Section}:Types:{type.Key}"), StringComparer.OrdinalIgnoreCase);
        return new TierCascade(tier, tiers, tier + 1 < tiers ? QueueNames.ForTier(extractQueue, tier + 1) : null,
            Parse(escalation.Default, $"{EscalationOptions.Section}:Default"), types);
    }

    /// <summary>
    /// The Llm settings of <paramref name="tier"/>: Llm:* with Llm:Tiers:N's keys over them. A tier naming its model
    /// (Model or ModelPath) replaces both of the base's, so a base ModelPath never outranks the tier's Model.
    /// </summary>
    public static void Overlay(LlmOptions options, IConfiguration configuration, int tier)
    {
        var section = configuration.GetSection($"{TiersSection}:{tier}");
        if (section[nameof(LlmOptions.Model)] is not null || section[nameof(LlmOptions.ModelPath)] is not null)
        {
            options.Model = null;
            options.ModelPath = null;
        }
        section.Bind(options);
    }

    public static LlmOptions LlmOptionsFor(IConfiguration configuration, int tier)
    {
        var options = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        Overlay(options, configuration, tier);
        return options;
    }

    /// <summary>
    /// The reasons of <paramref name="review"/> that send a result of <paramref name="type"/> made by
    /// <paramref name="route"/> to the next tier; empty when it stands (the last tier, the e-invoice's XML, a policy of none).
    /// </summary>
    public IReadOnlyList<ReviewReason> Escalating(string type, string route, Review review)
    {
        if (IsLast || !review.Needed || route != StructuredData.LlmRoute)
        {
            return [];
        }
        var kinds = _types.TryGetValue(type, out var ofType) ? ofType : _default;
        return review.Reasons.Where(reason => kinds is null || kinds.Contains(reason.Kind)).ToList();
    }

    private static int CountTiers(IConfiguration configuration)
    {
        var keys = configuration.GetSection(TiersSection).GetChildren().Select(child => child.Key).ToList();
        for (var expected = 0; expected < keys.Count; expected++)
        {
            if (!keys.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new LlmSetupException(
                    $"{TiersSection} must be numbered 0, 1, 2 ... without gaps: found {string.Join(", ", keys.Order())}, no {expected}");
            }
        }
        return Math.Max(1, keys.Count);
    }

    // null is "every kind".
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "the policy keeps read-only sets; a start-up parse")]
    private static IReadOnlySet<string>? Parse(string? value, string setting)
    {
        var text = value?.Trim() ?? "";
        if (text.Equals(EscalationOptions.All, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (text.Length == 0 || text.Equals(EscalationOptions.None, StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<string>();
        }
        var kinds = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (kinds.FirstOrDefault(kind => !_kinds.Contains(kind)) is { } unknown)
        {
            throw new LlmSetupException(
                $"{setting} names '{unknown}', which is no review reason kind: give all, none, or a comma-separated list of {string.Join(", ", _kinds)}");
        }
        return kinds.ToHashSet();
    }
}
