using System.Runtime.InteropServices;
using DocExtract.Llama.Interop;
using Microsoft.Extensions.Logging;

namespace DocExtract.Llama;

/// <summary>
/// Loads llama.cpp once per process. Nothing native happens before <see cref="Initialize"/> is called (no static
/// constructors with side effects): the host decides when, with which build, and where its logs go.
/// </summary>
public static partial class LlamaBackend
{
    private const string CpuLlama = "libllama.v0.5.0.so";
    private const string CpuGgml = "libggml.v0.5.0.so";
    private const string CudaLlama = "libllama.cuda.v0.5.0.so";
    private const string CudaGgml = "libggml.cuda.v0.5.0.so";
    private const string CudaBackend = "libggml-cuda.so";

    private static readonly Lock _gate = new();
    private static LlamaBackendInfo? _current;
    private static bool _librariesLoaded;

    public static bool IsInitialized => Volatile.Read(ref _current) is not null;

    /// <summary>What was loaded; throws before <see cref="Initialize"/>.</summary>
    public static LlamaBackendInfo Current => Volatile.Read(ref _current) ?? throw NotInitialized();

    /// <summary>
    /// Chooses and loads the llama.cpp build, routes its log to <paramref name="logger"/> and logs one line naming
    /// the backend and device. A process can hold one build only (both builds ship a libggml-base.so with the same
    /// soname), so a second call returns the first result if it asks for the same thing and throws otherwise.
    /// </summary>
    public static LlamaBackendInfo Initialize(LlamaBackendOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        lock (_gate)
        {
            var root = FindNativeDirectory(options.NativeDirectory);
            if (_current is { } existing)
            {
                var sameRoot = Path.GetDirectoryName(existing.LibraryDirectory) == root;
                if (sameRoot && (options.Backend == LlamaBackendKind.Auto || options.Backend == existing.Backend))
                {
                    return existing;
                }

                throw new InvalidOperationException(
                    $"llama.cpp is already loaded from {existing.LibraryDirectory} ({existing.Backend}); " +
                    $"a process cannot switch to {options.Backend} from {root}");
            }

            if (_librariesLoaded)
            {
                // The resolver is installed and libraries are mapped: a retry cannot choose again.
                throw new InvalidOperationException("an earlier LlamaBackend.Initialize failed after loading llama.cpp; restart the process");
            }

            var (backend, directory, cudaProblem) = Choose(options.Backend, root);
            _librariesLoaded = true;
            var llama = NativeLibrary.Load(Path.Combine(directory, backend == LlamaBackendKind.Cuda ? CudaLlama : CpuLlama));
            var ggml = NativeLibrary.Load(Path.Combine(directory, backend == LlamaBackendKind.Cuda ? CudaGgml : CpuGgml));
            new NativeLibraryResolver(llama, ggml).Install();

            LlamaLog.Install(logger);
            NativeMethods.InitializeBackend();
            NativeMethods.LoadBackendsFrom(directory);

            var devices = NativeMethods.Devices()
                .Select(d => new LlamaDevice(
                    d.Name, d.Description,
                    d.Type is ggml_backend_dev_type.GGML_BACKEND_DEVICE_TYPE_GPU or ggml_backend_dev_type.GGML_BACKEND_DEVICE_TYPE_IGPU,
                    d.TotalMemory))
                .ToList();
            if (devices.Count == 0)
            {
                throw new LlamaException(
                    $"ggml found no usable backend in {directory}: no libggml-cpu-*.so there loads on this machine");
            }

            var info = new LlamaBackendInfo(backend, directory, LoadedCpuVariant(), devices, cudaProblem);
            LogBackend(logger, info.Backend, Describe(info), info.LibraryDirectory);
            Volatile.Write(ref _current, info);
            return info;
        }
    }

    internal static void EnsureInitialized()
    {
        if (!IsInitialized)
        {
            throw NotInitialized();
        }
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "llama.cpp backend {Backend}: {Devices} (libraries from {Directory})")]
    private static partial void LogBackend(ILogger logger, LlamaBackendKind backend, string devices, string directory);

    private static InvalidOperationException NotInitialized() =>
        new("llama.cpp is not loaded: call LlamaBackend.Initialize at start-up, before using models");

    private static (LlamaBackendKind Backend, string Directory, string? CudaProblem) Choose(LlamaBackendKind requested, string root)
    {
        var cpu = Path.Combine(root, "cpu");
        var cuda = Path.Combine(root, "cuda");
        if (requested == LlamaBackendKind.Cpu)
        {
            return (LlamaBackendKind.Cpu, RequireFile(cpu, CpuLlama), null);
        }

        var cudaProblem = File.Exists(Path.Combine(cuda, CudaLlama))
            ? ProbeCuda(cuda)
            : $"{Path.Combine(cuda, CudaLlama)} does not exist (scripts/fetch-llama.sh --cuda fetches it)";
        if (cudaProblem is null)
        {
            return (LlamaBackendKind.Cuda, cuda, null);
        }

        if (requested == LlamaBackendKind.Cuda)
        {
            throw new LlamaException($"the CUDA backend was requested but cannot be used: {cudaProblem}");
        }

        return (LlamaBackendKind.Cpu, RequireFile(cpu, CpuLlama), cudaProblem);
    }

    /// <summary>
    /// Loading ggml's CUDA backend pulls in libcuda.so.1 (the driver), libcudart.so.13 and libcublas.so.13; if any is
    /// missing the load fails and the dynamic loader unloads what it had mapped for it, so falling back stays clean.
    /// </summary>
    private static string? ProbeCuda(string directory)
    {
        try
        {
            NativeLibrary.Load(Path.Combine(directory, CudaBackend));
            return null;
        }
        catch (DllNotFoundException e)
        {
            // The runtime's message is several lines of advice around the loader's one line; keep that line.
            var reason = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            return $"{CudaBackend} does not load: {reason}";
        }
    }

    private static string RequireFile(string directory, string file) =>
        File.Exists(Path.Combine(directory, file))
            ? directory
            : throw new LlamaException($"{Path.Combine(directory, file)} does not exist: run scripts/fetch-llama.sh");

    private static string FindNativeDirectory(string? configured)
    {
        var explicitDirectory = configured ?? Environment.GetEnvironmentVariable(LlamaBackendOptions.NativeDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(explicitDirectory));
            return Directory.Exists(full)
                ? full
                : throw new LlamaException($"the native library folder {full} does not exist: run scripts/fetch-llama.sh");
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "native");
            if (File.Exists(Path.Combine(candidate, "cpu", CpuLlama)) || File.Exists(Path.Combine(candidate, "cuda", CudaLlama)))
            {
                return candidate;
            }
        }

        throw new LlamaException(
            $"llama.cpp libraries not found: no native/cpu/{CpuLlama} in {AppContext.BaseDirectory} or any folder above it. " +
            $"Run scripts/fetch-llama.sh, or set {LlamaBackendOptions.NativeDirectoryVariable}.");
    }

    /// <summary>ggml does not say which libggml-cpu-*.so it picked; the process's memory map does.</summary>
    private static string? LoadedCpuVariant()
    {
        const string prefix = "libggml-cpu-";
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var start = line.LastIndexOf('/');
            if (start >= 0 && line.AsSpan(start + 1).StartsWith(prefix) && line.EndsWith(".so", StringComparison.Ordinal))
            {
                return line[(start + 1 + prefix.Length)..^3];
            }
        }

        return null;
    }

    private static string Describe(LlamaBackendInfo info)
    {
        var devices = string.Join(", ", info.Devices.Select(d => d.IsGpu
            ? $"{d.Name} {d.Description} ({d.TotalMemoryBytes / (1024 * 1024)} MiB)"
            : $"{d.Name} {d.Description}" + (info.CpuVariant is null ? "" : $" [ggml-cpu-{info.CpuVariant}]")));
        return info.CudaUnavailableReason is null ? devices : $"{devices}; CUDA not used: {info.CudaUnavailableReason}";
    }
}
