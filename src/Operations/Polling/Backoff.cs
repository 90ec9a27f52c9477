namespace DocExtract.Operations.Polling;

/// <summary>A wait that starts at <paramref name="First"/> and doubles after each further failure, up to <paramref name="Max"/>.</summary>
public sealed record Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 or more).</summary>
    public TimeSpan After(int failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(First.Ticks * factor, Max.Ticks));
        return delay < Max ? delay : Max;
    }
}
