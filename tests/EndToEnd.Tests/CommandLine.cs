using System.Diagnostics;
using DocExtract.TestSupport;

namespace DocExtract.EndToEnd.Tests;

/// <summary>Runs one of the solution's programs as a process, as an operator would, and collects what it printed.</summary>
internal static class CommandLine
{
    /// <summary>`dotnet src/PROJECT/bin/…/ASSEMBLY args…` with stdout and stderr redirected.</summary>
    public static ProcessStartInfo Program(string project, string assembly, IEnumerable<string> arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.ProjectOutput(project, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public static async Task<(int Code, string Output, string Errors)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await errors);
    }
}
