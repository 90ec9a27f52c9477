using System.Reflection;
using System.Runtime.InteropServices;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// Maps the library names in <see cref="NativeMethods"/> to the files of the chosen backend. Installed once per
/// process (the runtime allows one resolver per assembly), by <see cref="LlamaBackend.Initialize"/> only.
/// </summary>
internal sealed class NativeLibraryResolver(nint llama, nint ggml)
{
    private nint _libc;

    public void Install() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);

    private nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        NativeMethods.LlamaLibrary => llama,
        NativeMethods.GgmlLibrary => ggml,
        // "libc.so" is a linker script on glibc systems, so the plain name does not load; the soname does.
        NativeMethods.LibC => _libc != 0 ? _libc : _libc = NativeLibrary.Load("libc.so.6"),
        _ => nint.Zero,
    };
}
