using System.Threading.Channels;
using DocExtract.Operations.Polling;
using Microsoft.Extensions.Time.Testing;

namespace DocExtract.Api.Tests;

/// <summary>
/// The loop the outbox relay, the webhook dispatcher and retention share (issue #16). Every wait of the loop arms a
/// timer on its clock; the tests read those timers off a fake clock and move the clock on, so no test waits for time.
/// </summary>
public sealed class Polling_for_work
{
    private static readonly TimeSpan _interval = TimeSpan.FromHours(1);

    // Only a guard against a hung loop: each await below ends as soon as the loop does what is awaited.
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Backs_off_doubling_up_to_the_cap_and_starts_over_after_a_good_pass()
    {
        var clock = new TimerRecordingClock();
        var outcomes = new Queue<bool>([false, false, false, false, true, false]);
        var reported = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        var loop = new PollingLoop(_interval, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), clock).RunAsync(
            _ => outcomes.Dequeue() ? Task.CompletedTask : throw new TimeoutException("PostgreSQL is away"),
            (_, delay) => reported.Add(delay),
            stop.Token);

        foreach (var seconds in new[] { 1, 2, 4, 4 })
        {
            var wait = await clock.NextTimerAsync();
            Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
            clock.Advance(wait);
        }
        Assert.Equal(_interval, await clock.NextTimerAsync());
        clock.Advance(_interval);
        Assert.Equal(TimeSpan.FromSeconds(1), await clock.NextTimerAsync());

        Assert.Equal([1, 2, 4, 4, 1], reported.Select(d => d.TotalSeconds));
        Assert.Empty(outcomes);
        await stop.CancelAsync();
        await loop.WaitAsync(_patience);
    }

    [Fact]
    public async Task Wakes_at_once_when_signalled_and_otherwise_looks_again_after_the_interval()
    {
        var clock = new TimerRecordingClock();
        var wake = new WakeSignal();
        var passes = Channel.CreateUnbounded<DateTimeOffset>();
        using var stop = new CancellationTokenSource();
        var loop = new PollingLoop(_interval, new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), clock, wake).RunAsync(
            _ =>
            {
                passes.Writer.TryWrite(clock.GetUtcNow());
                return Task.CompletedTask;
            },
            (e, _) => Assert.Fail($"no pass fails here, yet: {e.Message}"),
            stop.Token);
        async Task<DateTimeOffset> NextPassAsync() => await passes.Reader.ReadAsync().AsTask().WaitAsync(_patience);

        var start = await NextPassAsync();
        Assert.Equal(_interval, await clock.NextTimerAsync());
        wake.Notify();
        Assert.Equal(start, await NextPassAsync());

        Assert.Equal(_interval, await clock.NextTimerAsync());
        clock.Advance(_interval);
        Assert.Equal(start + _interval, await NextPassAsync());

        Assert.Equal(_interval, await clock.NextTimerAsync());
        await stop.CancelAsync();
        await loop.WaitAsync(_patience);
        Assert.True(loop.IsCompletedSuccessfully);
    }

    /// <summary>A fake clock that also tells which timers were armed on it, in order.</summary>
    private sealed class TimerRecordingClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(dueTime);
            return timer;
        }

        public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(_patience);
    }
}
