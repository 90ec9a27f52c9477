using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>Owns a <c>llama_context*</c>; releasing it calls <c>llama_free</c>.</summary>
internal sealed class SafeLlamaContextHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.FreeContext(handle);
        return true;
    }
}
