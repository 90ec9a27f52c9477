using System.Globalization;

namespace DocExtract.Cli.Models;

/// <summary>
/// The progress of a download on stderr: on a terminal one line redrawn in place (a bar, bytes, rate, ETA); anywhere
/// else (a log, a pipe, CI) a plain line every tenth of the file, or every 10 s when the size is not known.
/// </summary>
public sealed class DownloadProgress(TextWriter errors, bool terminal, TimeProvider time)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan _redraw = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan _plainInterval = TimeSpan.FromSeconds(10);

    private long _startTimestamp;
    private long _startBytes;
    private long _lastTimestamp;
    private int _lastTenth = -1;
    private bool _drawn;

    /// <summary>A new transfer starts at <paramref name="done"/> bytes: the rate counts only what this one brings.</summary>
    public void Start(long done)
    {
        _startTimestamp = _lastTimestamp = time.GetTimestamp();
        _startBytes = done;
    }

    public void Report(long done, long? total)
    {
        var now = time.GetTimestamp();
        if (terminal)
        {
            if (time.GetElapsedTime(_lastTimestamp, now) < _redraw && done != total)
            {
                return;
            }

            errors.Write($"\r{Line(done, total, now, bar: true)}\u001b[K");
            _drawn = true;
        }
        else
        {
            var tenth = total is > 0 ? (int)(done * 10 / total.Value) : -1;
            var due = total is > 0 ? tenth > _lastTenth : time.GetElapsedTime(_lastTimestamp, now) >= _plainInterval;
            if (!due)
            {
                return;
            }

            _lastTenth = tenth;
            errors.WriteLine($"pull: {Line(done, total, now, bar: false)}");
        }

        _lastTimestamp = now;
    }

    /// <summary>Ends the redrawn line so that what follows starts on its own.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            errors.WriteLine();
            _drawn = false;
        }
    }

    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        for (; bytes >= 1024 && unit < units.Length - 1; unit++)
        {
            bytes /= 1024;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} {units[unit]}")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[unit]}");
    }

    private string Line(long done, long? total, long now, bool bar)
    {
        var elapsed = time.GetElapsedTime(_startTimestamp, now).TotalSeconds;
        var rate = elapsed > 0 ? (done - _startBytes) / elapsed : 0;
        var size = total is > 0 ? $"{Bytes(done)} of {Bytes(total.Value)} ({done * 100 / total.Value}%)" : Bytes(done);
        var eta = total is > 0 && rate > 0 ? $", ETA {Duration((total.Value - done) / rate)}" : "";
        var drawn = bar && total is > 0 ? $"[{new string('#', (int)(done * BarWidth / total.Value)).PadRight(BarWidth, '.')}] " : "";
        return $"{drawn}{size}, {Bytes(rate)}/s{eta}";
    }

    private static string Duration(double seconds) =>
        TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(99).TotalSeconds)) switch
        {
            { TotalHours: >= 1 } t => $"{(int)t.TotalHours}h{t.Minutes:00}m",
            { TotalMinutes: >= 1 } t => $"{t.Minutes}m{t.Seconds:00}s",
            var t => $"{t.Seconds}s",
        };
}
