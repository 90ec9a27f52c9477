using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>
/// Owns the arrays of a <c>llama_batch</c> made by <c>llama_batch_init</c>; releasing it calls <c>llama_batch_free</c>,
/// which takes the whole struct by value, so the handle keeps the struct and uses its token array as the handle.
/// </summary>
internal sealed class SafeLlamaBatchHandle : SafeHandle
{
    private readonly llama_batch _batch;

    public unsafe SafeLlamaBatchHandle(llama_batch batch)
        : base(nint.Zero, ownsHandle: true)
    {
        _batch = batch;
        SetHandle((nint)batch.token);
    }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>The arrays as allocated; valid while the handle is open.</summary>
    public llama_batch Batch => _batch;

    protected override bool ReleaseHandle()
    {
        NativeMethods.FreeBatch(_batch);
        return true;
    }
}
