using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>Owns a <c>llama_model*</c>; releasing it calls <c>llama_model_free</c>.</summary>
internal sealed class SafeLlamaModelHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.FreeModel(handle);
        return true;
    }
}
