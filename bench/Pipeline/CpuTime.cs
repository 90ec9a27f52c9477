using System.Globalization;

namespace DocExtract.Bench.Pipeline;

/// <summary>
/// CPU seconds per part of the system, read from /proc: the API and worker processes, the worker's finished
/// children (pdftotext), PostgreSQL and RabbitMQ (by process name) and this client. Taken before and after a
/// phase, the difference says where its CPU went.
/// </summary>
internal static class CpuTime
{
    private static readonly double _ticksPerSecond = 100; // USER_HZ on Linux x86-64

    public static Dictionary<string, double> Snapshot(int apiPid, int workerPid)
    {
        var parts = new Dictionary<string, double>
        {
            ["api"] = Own(apiPid),
            ["worker"] = Own(workerPid),
            ["pdftotext (worker's children)"] = Children(workerPid),
            ["bench client"] = Own(Environment.ProcessId),
            ["postgresql"] = 0,
            ["rabbitmq"] = 0,
        };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            var name = ReadName(pid);
            if (name.StartsWith("postgres", StringComparison.Ordinal))
            {
                parts["postgresql"] += Own(pid);
            }
            else if (name is "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost")
            {
                parts["rabbitmq"] += Own(pid);
            }
        }
        return parts;
    }

    private static string ReadName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static double Own(int pid) => Fields(pid) is { } f ? (Tick(f[11]) + Tick(f[12])) / _ticksPerSecond : 0;

    private static double Children(int pid) => Fields(pid) is { } f ? (Tick(f[13]) + Tick(f[14])) / _ticksPerSecond : 0;

    // /proc/<pid>/stat, fields after the command name: utime is the 14th field of the line, i.e. index 11 here.
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long Tick(string field) => long.Parse(field, CultureInfo.InvariantCulture);
}
