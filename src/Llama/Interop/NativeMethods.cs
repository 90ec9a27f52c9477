using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>
/// Every native function this binding calls. Declarations are private and named as in llama.h / ggml-backend.h;
/// the internal wrappers next to them take SafeHandles and spans, validate, pin, and never hand out a pointer that
/// can outlive its owner. The library names below are not file names: <see cref="NativeLibraryResolver"/> maps them
/// to the files of the backend chosen by <see cref="LlamaBackend.Initialize"/>.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>libllama.v0.5.0.so (CPU) or libllama.cuda.v0.5.0.so (CUDA).</summary>
    internal const string LlamaLibrary = "llama";

    /// <summary>libggml.v0.5.0.so or libggml.cuda.v0.5.0.so: the backend registry (ggml-backend-reg.cpp).</summary>
    internal const string GgmlLibrary = "ggml";

    /// <summary>glibc, for the descriptor juggling in <see cref="StderrCapture"/>.</summary>
    internal const string LibC = "libc";

    /// <summary>GGML_MAX_N_THREADS (ggml.h): the most threads one decode may use.</summary>
    internal const int MaxThreads = 512;

    internal static string? Utf8ToString(nint utf8) => Marshal.PtrToStringUTF8(utf8);
}
