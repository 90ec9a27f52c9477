using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace DocExtract.Operations.Tools;

public sealed record ToolLimits(TimeSpan Timeout, long MemoryBytes, long MaxOutputBytes);

public sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>
/// Runs an external tool (poppler, tesseract) as a child process so a hostile PDF can crash or hang only that
/// child: arguments go through ArgumentList (no shell, no string building), the address space is capped with
/// prlimit(1), the wall clock with a timeout that kills the whole process tree, stdout with a byte cap, and the
/// network is taken away by unshare(1) --net (a new network namespace with only a down loopback: issue #4). Where
/// namespaces are not permitted (a container's seccomp profile) tools run with the network and one warning says so.
/// Every tool dies with the worker (#15 item 9): setpriv(1) --pdeathsig KILL, the last exec before the tool, asks
/// the kernel to kill it when its parent goes, and Tesseract is held to one OpenMP thread (#14), since the worker
/// gets its parallelism from pages (TextExtraction:OcrParallelPages).
/// </summary>
public sealed partial class ToolRunner(ILogger<ToolRunner>? logger = null)
{
    private const string Prlimit = "/usr/bin/prlimit";
    private const string Unshare = "/usr/bin/unshare";
    private const string Setpriv = "/usr/bin/setpriv";
    private const int MaxStderrChars = 16 * 1024;

    private static readonly Lazy<(string[]? Prefix, string? Failure)> _isolation = new(ProbeNetworkIsolation);
    private int _warned;

    /// <summary>Whether tools run without a network on this machine.</summary>
    public static bool IsolatesNetwork => _isolation.Value.Prefix is not null;

    /// <summary>Runs the tool; <paramref name="input"/>, when given, is written to its stdin (a secret never goes on a command line).</summary>
    public async Task<ToolResult> RunAsync(
        string tool, IReadOnlyList<string> arguments, ToolLimits limits, CancellationToken cancellationToken,
        byte[]? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // prlimit's limits pass through unshare's exec to the tool: one process, killed as one tree.
        List<string> command = [];
        if (File.Exists(Prlimit))
        {
            command.AddRange([Prlimit, $"--as={limits.MemoryBytes}", $"--cpu={(long)Math.Ceiling(limits.Timeout.TotalSeconds) + 1}", "--"]);
        }
        if (_isolation.Value.Prefix is { } isolation)
        {
            command.AddRange(isolation);
        }
        else if (Interlocked.Exchange(ref _warned, 1) == 0 && logger is not null)
        {
            LogNoIsolation(logger, _isolation.Value.Failure!);
        }
        if (File.Exists(Setpriv))
        {
            command.AddRange([Setpriv, "--pdeathsig", "KILL", "--"]);
        }
        command.Add(tool);
        start.FileName = command[0];
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Tools must not localise their messages: the worker summarises them for people.
        start.Environment["LC_ALL"] = "C.UTF-8";
        // Tesseract's own threads made a page take 16-20 s instead of 3-6 s on a loaded 2-core machine (#14).
        start.Environment["OMP_THREAD_LIMIT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        try
        {
            await ChildLauncher.StartAsync(process);
        }
        catch (Win32Exception e)
        {
            throw new ToolMissingException(tool, e);
        }
        if (input is not null)
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
            }
            catch (IOException)
            {
                // The tool ended without reading it; its exit code says why.
            }
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        var stderr = ReadCappedTextAsync(process.StandardError, timeout.Token);
        try
        {
            var stdout = await ReadCappedAsync(Path.GetFileName(tool), process.StandardOutput.BaseStream, limits.MaxOutputBytes, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var errors = await stderr;
            // prlimit, unshare and setpriv report a tool they cannot execute with 126/127 (as a shell would).
            if (start.FileName != tool && process.ExitCode is 126 or 127 &&
                (errors.StartsWith("prlimit:", StringComparison.Ordinal) || errors.StartsWith("unshare:", StringComparison.Ordinal) ||
                 errors.StartsWith("setpriv:", StringComparison.Ordinal)))
            {
                throw new ToolMissingException(tool, new Win32Exception(errors.Trim()));
            }
            return new ToolResult(process.ExitCode, stdout, errors, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new ToolTimeoutException(Path.GetFileName(tool), limits.Timeout);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>
    /// The unshare prefix that works here, else why none does. Root (or CAP_SYS_ADMIN) gets a plain network
    /// namespace; an unprivileged user gets one inside a user namespace (--map-root-user) where the kernel allows
    /// those, as Debian 12 does. A container's seccomp profile usually forbids both.
    /// </summary>
    private static (string[]? Prefix, string? Failure) ProbeNetworkIsolation()
    {
        if (!File.Exists(Unshare))
        {
            return (null, $"{Unshare} is missing (util-linux)");
        }
        string[][] candidates = [[Unshare, "--net", "--"], [Unshare, "--net", "--map-root-user", "--"]];
        var failures = new List<string>();
        foreach (var prefix in candidates)
        {
            var failure = Probe(prefix);
            if (failure is null)
            {
                return (prefix, null);
            }
            failures.Add(failure);
        }
        return (null, string.Join("; ", failures));
    }

    private static string? Probe(string[] prefix)
    {
        var what = string.Join(' ', prefix[1..^1]);
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(prefix[0], [.. prefix[1..], "true"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var errors = probe.StandardError.ReadToEnd();
            if (!probe.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                probe.Kill();
                return $"unshare {what} did not finish within 10 s";
            }
            return probe.ExitCode == 0 ? null : $"unshare {what} is not permitted here ({errors.Trim()})";
        }
        catch (Win32Exception e)
        {
            return $"unshare could not be started ({e.Message})";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "PDF tools run WITH network access: {Reason}. Run the worker as root or with CAP_SYS_ADMIN (or allow user namespaces) to isolate them")]
    private static partial void LogNoIsolation(ILogger logger, string reason);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<byte[]> ReadCappedAsync(string tool, Stream stream, long cap, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                throw new ToolOutputTooLargeException(tool, cap);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<string> ReadCappedTextAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var chunk = new char[4096];
        int read;
        try
        {
            while ((read = await reader.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (text.Length < MaxStderrChars)
                {
                    text.Append(chunk, 0, Math.Min(read, MaxStderrChars - text.Length));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The process was killed; what was read so far is all there is.
        }
        return text.ToString();
    }
}

public sealed class ToolMissingException(string tool, Exception inner)
    : Exception($"'{tool}' could not be started: install it (scripts/setup.sh installs poppler-utils and tesseract-ocr)", inner);

public sealed class ToolTimeoutException(string tool, TimeSpan timeout)
    : PermanentExtractionException($"{tool} did not finish within {timeout.TotalSeconds:0} s; the PDF may be malformed or too complex");

public sealed class ToolOutputTooLargeException(string tool, long cap)
    : PermanentExtractionException($"the output of {tool} is larger than {cap / (1024 * 1024)} MB " +
        "(the limit: TextExtraction:MaxTextBytes for text, MaxPageImageBytes for a page rendered for OCR)");
