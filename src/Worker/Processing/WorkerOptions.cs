using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace DocExtract.Worker.Processing;

public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>The delays of <see cref="DelayedRedeliveries"/> when the setting is absent.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelayedRedeliveries =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>The longest delay of one redelivery: a document should not wait longer for the service to come back.</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    /// <summary>How many delayed redeliveries one message may get.</summary>
    public const int MostDelayedRedeliveries = 20;

    // A single value given where the DelayedRedeliveries list belongs (see Configure).
    private string? _notAList;

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

    /// <summary>Retries of a transient fault (database or broker away) in memory, holding the message's slot.</summary>
    [Range(0, int.MaxValue)]
    public int TransientRetries { get; set; } = 5;

    /// <summary>
    /// When the in-memory retries run out with a transient fault, the message waits this long in a delay queue of
    /// RabbitMQ, one entry per redelivery, its slot free, and is then handled again (#16); after the last, the document
    /// fails. Null until bound: <see cref="Configure"/> puts <see cref="DefaultDelayedRedeliveries"/> in when the
    /// setting is absent, and an empty list (<c>[]</c>, or an empty value) switches delayed redelivery off.
    /// </summary>
    public List<TimeSpan>? DelayedRedeliveries { get; set; }

    /// <summary>
    /// The model tier this worker serves (#12, the cascade of local models): it loads Llm:Tiers:N's model and consumes
    /// that tier's queue. 0, the first tier, unless Llm:Tiers configures more.
    /// </summary>
    public int Tier { get; set; }

    /// <summary>Where PDFs are written while the tools read them.</summary>
    public string? TempDirectory { get; set; }

    public int EffectiveConcurrency(int llmSequences) => ConcurrentMessageLimit > 0 ? ConcurrentMessageLimit : Math.Max(1, llmSequences);

    public int EffectivePrefetch(int llmSequences) => PrefetchCount > 0 ? PrefetchCount : Math.Max(2, EffectiveConcurrency(llmSequences) * 2);

    /// <summary>The delays in effect: the setting, or the defaults where it is absent.</summary>
    public IReadOnlyList<TimeSpan> Delays => DelayedRedeliveries ?? DefaultDelayedRedeliveries;

    /// <summary>
    /// Fills in what configuration binding cannot say: a list property keeps (and appends to) the items it starts with,
    /// so the defaults are set here, only when <paramref name="section"/> has no DelayedRedeliveries key at all.
    /// </summary>
    public void Configure(IConfiguration section)
    {
        var setting = section.GetChildren().FirstOrDefault(child => child.Key.Equals(nameof(DelayedRedeliveries), StringComparison.OrdinalIgnoreCase));
        DelayedRedeliveries ??= setting is null ? [.. DefaultDelayedRedeliveries] : [];
        // "00:05:00" where a list belongs binds as an empty list: say so rather than switch redelivery off unasked.
        _notAList = setting is { Value: { Length: > 0 } value } && !setting.GetChildren().Any() ? value : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var setting = $"{Section}:{nameof(DelayedRedeliveries)}";
        if (_notAList is not null)
        {
            yield return new ValidationResult(
                $"{setting} is a list, not '{_notAList}': give {setting}:0, {setting}:1 ... (Worker__DelayedRedeliveries__0 in the environment, a JSON array in appsettings.json), or an empty value to switch it off");
        }
        if (Delays.Count > MostDelayedRedeliveries)
        {
            yield return new ValidationResult(
                $"{setting} lists {Delays.Count} delays, more than {MostDelayedRedeliveries}: a document that waits out that many outages needs a person, not another delay");
        }
        for (var i = 0; i < Delays.Count; i++)
        {
            if (Delays[i] < TimeSpan.FromMilliseconds(1) || Delays[i] > LongestDelay)
            {
                yield return new ValidationResult(
                    $"{setting}:{i} must be between 00:00:00.001 and {LongestDelay:c}, not {Delays[i]:c}: each entry is how long a message waits before it is handled again");
            }
        }
    }
}
