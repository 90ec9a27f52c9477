using DocExtract.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocExtract.Llama.Bench;

internal static class BenchBackend
{
    /// <summary>The CPU backend from the repository's native/ folder, described in one line.</summary>
    public static string Initialize()
    {
        LlamaBackend.Initialize(
            new LlamaBackendOptions { Backend = LlamaBackendKind.Cpu, NativeDirectory = RepositoryLayout.NativeDirectory },
            NullLogger.Instance);
        return $"backend: {LlamaBackend.Current.Backend}, cpu variant {LlamaBackend.Current.CpuVariant}, {Environment.ProcessorCount} cores";
    }
}
