using DocExtract.Cli.Models;

namespace DocExtract.EndToEnd.Tests;

/// <summary>`models pull`'s progress on stderr: a bar redrawn in place on a terminal, plain lines anywhere else.</summary>
public sealed class Showing_download_progress
{
    [Fact]
    public void A_terminal_gets_one_line_redrawn_with_bytes_rate_and_eta()
    {
        var (errors, clock, progress) = Progress(terminal: true);

        progress.Start(0);
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Report(2 << 20, 8 << 20);
        progress.Finish();

        Assert.Equal("\r[#######.......................] 2.0 MiB of 8.0 MiB (25%), 1.0 MiB/s, ETA 6s\u001b[K\n", errors.ToString());
    }

    [Fact]
    public void A_log_gets_a_plain_line_per_tenth_and_a_resumed_transfer_counts_only_its_own_bytes()
    {
        var (errors, clock, progress) = Progress(terminal: false);

        progress.Start(50 << 20);
        for (var done = 51L << 20; done <= 100L << 20; done += 1 << 20)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            progress.Report(done, 100 << 20);
        }

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal("pull: 51.0 MiB of 100.0 MiB (51%), 2.0 MiB/s, ETA 24s", lines[0]);
        Assert.Equal("pull: 100.0 MiB of 100.0 MiB (100%), 2.0 MiB/s, ETA 0s", lines[^1]);
    }

    private static (StringWriter Errors, ManualClock Clock, DownloadProgress Progress) Progress(bool terminal)
    {
        var errors = new StringWriter { NewLine = "\n" };
        var clock = new ManualClock();
        return (errors, clock, new DownloadProgress(errors, terminal, clock));
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
