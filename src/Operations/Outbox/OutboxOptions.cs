using System.ComponentModel.DataAnnotations;
using DocExtract.Operations.Settings;

namespace DocExtract.Operations.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>When false this API process stores commands but never sends them (another process relays).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for unsent commands when nothing woke it.</summary>
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many commands one relay pass sends at most.</summary>
    [Range(1, int.MaxValue)]
    public int BatchSize { get; set; } = 100;
}
