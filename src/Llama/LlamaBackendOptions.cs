namespace DocExtract.Llama;

/// <summary>Which build of llama.cpp to load.</summary>
public enum LlamaBackendKind
{
    /// <summary>CUDA where <c>native/cuda</c> exists and its libraries load (driver and CUDA 13 runtime), else CPU.</summary>
    Auto,

    /// <summary>The CPU build in <c>native/cpu</c>; ggml picks the best instruction-set variant at run time.</summary>
    Cpu,

    /// <summary>The CUDA 13 build in <c>native/cuda</c>; fails if it cannot load.</summary>
    Cuda,
}

public sealed record LlamaBackendOptions
{
    /// <summary>The variable that overrides where the native folder is looked for.</summary>
    public const string NativeDirectoryVariable = "DOCEXTRACT_NATIVE_DIR";

    public LlamaBackendKind Backend { get; init; } = LlamaBackendKind.Auto;

    /// <summary>
    /// The folder holding <c>cpu/</c> and optionally <c>cuda/</c> (what scripts/fetch-llama.sh makes as <c>native/</c>).
    /// When null: <c>$DOCEXTRACT_NATIVE_DIR</c>, else a <c>native/</c> folder beside the application or in one of
    /// the folders above it.
    /// </summary>
    public string? NativeDirectory { get; init; }
}

/// <summary>What <see cref="LlamaBackend.Initialize"/> loaded.</summary>
public sealed record LlamaBackendInfo(
    LlamaBackendKind Backend,
    string LibraryDirectory,
    string? CpuVariant,
    IReadOnlyList<LlamaDevice> Devices,
    string? CudaUnavailableReason);

/// <summary>A ggml compute device (the CPU, or a GPU under the CUDA build).</summary>
public sealed record LlamaDevice(string Name, string Description, bool IsGpu, long TotalMemoryBytes);
