using System.Diagnostics;
using System.Net;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// A network namespace of its own (<c>ip netns</c>) holding a loopback and one end of a veth pair; the other end
/// stays on this machine at <see cref="HostAddress"/>. No default route: from inside, only the veth's /30 and
/// the namespace's own loopback exist. Needs root (CI runs as root).
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name, int subnet)
    {
        Name = name;
        HostAddress = IPAddress.Parse($"10.213.{subnet}.1");
        InsideAddress = IPAddress.Parse($"10.213.{subnet}.2");
    }

    public string Name { get; }
    public IPAddress HostAddress { get; }
    public IPAddress InsideAddress { get; }

    /// <summary>What runs a program inside: <c>nsenter</c> replaces itself with the program (same pid).</summary>
    public IReadOnlyList<string> Launcher => ["nsenter", $"--net=/run/netns/{Name}"];

    public static async Task<NetworkNamespace> CreateAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var space = new NetworkNamespace($"dxe-{id}", Random.Shared.Next(0, 256));
        string hostEnd = $"dxh-{id}", insideEnd = $"dxn-{id}";
        await RunAsync("ip", "netns", "add", space.Name);
        try
        {
            await RunAsync("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", insideEnd);
            await RunAsync("ip", "link", "set", insideEnd, "netns", space.Name);
            await RunAsync("ip", "addr", "add", $"{space.HostAddress}/30", "dev", hostEnd);
            await RunAsync("ip", "link", "set", hostEnd, "up");
            await space.ExecAsync("ip", "addr", "add", $"{space.InsideAddress}/30", "dev", insideEnd);
            await space.ExecAsync("ip", "link", "set", insideEnd, "up");
            await space.ExecAsync("ip", "link", "set", "lo", "up");
        }
        catch
        {
            await space.DisposeAsync();
            throw;
        }
        return space;
    }

    /// <summary>Runs a command inside and returns its exit code and output; throws if it does not end in 30 s.</summary>
    public Task<(int ExitCode, string Output)> TryExecAsync(params string[] command) => TryRunAsync([.. Launcher, .. command]);

    public async Task<string> ExecAsync(params string[] command) => await RunAsync([.. Launcher, .. command]);

    /// <summary>Whether a TCP connection to <paramref name="host"/>:<paramref name="port"/> opens, from inside or from here.</summary>
    public async Task<(bool Connected, string Output)> ConnectAsync(string host, int port, bool inside = true)
    {
        string[] probe = ["timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{host}/{port}"];
        var (code, output) = inside ? await TryExecAsync(probe) : await TryRunAsync(probe);
        return (code == 0, output);
    }

    /// <summary>The network namespace of a process, as the kernel names it: <c>net:[4026531840]</c>.</summary>
    public static string NamespaceOf(int pid) =>
        new FileInfo($"/proc/{pid}/ns/net").LinkTarget ?? throw new InvalidOperationException($"process {pid} has no /proc/{pid}/ns/net");

    public async ValueTask DisposeAsync()
    {
        // Deleting the namespace destroys its veth end, and with it the pair.
        await TryRunAsync("ip", "netns", "del", Name);
    }

    private static async Task<string> RunAsync(params string[] command)
    {
        var (code, output) = await TryRunAsync(command);
        return code == 0 ? output : throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({code}): {output}");
    }

    private static async Task<(int ExitCode, string Output)> TryRunAsync(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
