using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace DocExtract.Worker.TextExtraction;

public sealed record ToolLimits(TimeSpan Timeout, long MemoryBytes, long MaxOutputBytes);

public sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>
/// Runs an external tool (poppler, tesseract) as a child process so a hostile PDF can crash or hang only that
/// child: arguments go through ArgumentList (no shell, no string building), the address space is capped with
/// prlimit(1), the wall clock with a timeout that kills the whole process tree, and stdout with a byte cap.
/// </summary>
public sealed class ToolRunner
{
    private const string Prlimit = "/usr/bin/prlimit";
    private const int MaxStderrChars = 16 * 1024;

    public async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, ToolLimits limits, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (File.Exists(Prlimit))
        {
            start.FileName = Prlimit;
            start.ArgumentList.Add($"--as={limits.MemoryBytes}");
            start.ArgumentList.Add($"--cpu={(long)Math.Ceiling(limits.Timeout.TotalSeconds) + 1}");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(tool);
        }
        else
        {
            start.FileName = tool;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Tools must not localise their messages: the worker summarises them for people.
        start.Environment["LC_ALL"] = "C.UTF-8";

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ToolMissingException(tool, e);
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        var stderr = ReadCappedTextAsync(process.StandardError, timeout.Token);
        try
        {
            var stdout = await ReadCappedAsync(process.StandardOutput.BaseStream, limits.MaxOutputBytes, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var errors = await stderr;
            // prlimit reports a tool it cannot execute with 126/127 (as a shell would).
            if (start.FileName == Prlimit && process.ExitCode is 126 or 127 && errors.StartsWith("prlimit:", StringComparison.Ordinal))
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

    private static async Task<byte[]> ReadCappedAsync(Stream stream, long cap, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                throw new ToolOutputTooLargeException(cap);
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

public sealed class ToolOutputTooLargeException(long cap)
    : PermanentExtractionException($"the extracted text is larger than {cap / (1024 * 1024)} MB");
