using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// A real DocExtract host (API or worker) in its own OS process, configured through environment variables
/// as a deployment would be, so tests can kill it mid-flight and start it again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output);

    public static ServiceProcess StartWorker(
        IReadOnlyDictionary<string, string?> settings, string name = "worker", IReadOnlyList<string>? launcher = null) =>
        Start(Repository.ProjectOutput("Worker", "DocExtract.Worker.dll"), settings, name, launcher);

    /// <param name="listenOn">Where the API listens (loopback unless given), e.g. an address inside a network namespace.</param>
    /// <param name="launcher">A command that runs the program, e.g. <see cref="NetworkNamespace.Launcher"/>.</param>
    public static (ServiceProcess Process, Uri BaseAddress) StartApi(
        IReadOnlyDictionary<string, string?> settings, string name = "api", IPAddress? listenOn = null, IReadOnlyList<string>? launcher = null)
    {
        var address = new Uri($"http://{listenOn ?? IPAddress.Loopback}:{FreePort()}");
        var withUrl = new Dictionary<string, string?>(settings) { ["ASPNETCORE_URLS"] = address.ToString() };
        return (Start(Repository.ProjectOutput("Api", "DocExtract.Api.dll"), withUrl, name, launcher), address);
    }

    public static ServiceProcess Start(
        string assembly, IReadOnlyDictionary<string, string?> settings, string name, IReadOnlyList<string>? launcher = null)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is not built: run `dotnet build` first", assembly);
        }
        launcher ??= [];
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            // Configuration keys become environment variables with "__" for ":".
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}"), name);
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements, as when a machine loses power.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not print '{text}' within {timeout.TotalSeconds} s (exited: {_process.HasExited}). Output:\n{Output}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>A TCP port free on loopback now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
