using DocExtract.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocExtract.Llama.Bench;

internal static class BenchBackend
{
    /// <summary>A backend (the CPU one unless told) from the repository's native/ folder, described in one line.</summary>
    public static string Initialize(LlamaBackendKind backend = LlamaBackendKind.Cpu)
    {
        LlamaBackend.Initialize(
            new LlamaBackendOptions { Backend = backend, NativeDirectory = RepositoryLayout.NativeDirectory },
            NullLogger.Instance);
        var current = LlamaBackend.Current;
        return $"backend: {current.Backend}, cpu variant {current.CpuVariant}, {Environment.ProcessorCount} cores, " +
            $"devices: {string.Join("; ", current.Devices.Select(d => d.Description))}";
    }
}
