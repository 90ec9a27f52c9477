using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(LlamaLibrary)]
    private static partial void llama_backend_init();

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_log_set(delegate* unmanaged<ggml_log_level, byte*, void*, void> log_callback, void* user_data);

    [LibraryImport(GgmlLibrary, StringMarshalling = StringMarshalling.Utf8)]
    private static partial void ggml_backend_load_all_from_path(string dir_path);

    [LibraryImport(GgmlLibrary)]
    private static partial nuint ggml_backend_dev_count();

    [LibraryImport(GgmlLibrary)]
    private static partial nint ggml_backend_dev_get(nuint index);

    [LibraryImport(GgmlLibrary)]
    private static partial nint ggml_backend_dev_name(nint device);

    [LibraryImport(GgmlLibrary)]
    private static partial nint ggml_backend_dev_description(nint device);

    [LibraryImport(GgmlLibrary)]
    private static partial ggml_backend_dev_type ggml_backend_dev_type(nint device);

    [LibraryImport(GgmlLibrary)]
    private static partial void ggml_backend_dev_memory(nint device, out nuint free, out nuint total);

    internal static void InitializeBackend() => llama_backend_init();

    /// <summary>Routes llama.cpp's and ggml's log output (one global callback for both) to <paramref name="callback"/>.</summary>
    internal static void SetLogCallback(delegate* unmanaged<ggml_log_level, byte*, void*, void> callback) =>
        llama_log_set(callback, null);

    /// <summary>
    /// Loads the ggml backends found in <paramref name="directory"/>: for each kind, the <c>libggml-&lt;kind&gt;-*.so</c>
    /// whose <c>ggml_backend_score</c> is highest on this machine (ggml-backend-reg.cpp, ggml_backend_load_best),
    /// which is how the CPU variant (haswell, skylakex, zen4...) is chosen at run time.
    /// </summary>
    internal static void LoadBackendsFrom(string directory) => ggml_backend_load_all_from_path(directory);

    internal static IReadOnlyList<NativeDevice> Devices()
    {
        var count = (int)ggml_backend_dev_count();
        var devices = new List<NativeDevice>(count);
        for (var i = 0; i < count; i++)
        {
            var device = ggml_backend_dev_get((nuint)i);
            ggml_backend_dev_memory(device, out var free, out var total);
            devices.Add(new NativeDevice(
                Utf8ToString(ggml_backend_dev_name(device)) ?? "?",
                Utf8ToString(ggml_backend_dev_description(device)) ?? "",
                ggml_backend_dev_type(device),
                (long)total,
                (long)free));
        }

        return devices;
    }
}

internal sealed record NativeDevice(string Name, string Description, ggml_backend_dev_type Type, long TotalMemory, long FreeMemory);
