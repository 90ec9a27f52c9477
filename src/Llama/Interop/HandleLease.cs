using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>
/// Keeps a SafeHandle from being released while a raw pointer derived from it is in use: the vocab pointer belongs
/// to the model and the memory pointer to the context, and neither has a handle of its own.
/// </summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle _owner;

    public HandleLease(SafeHandle owner)
    {
        ObjectDisposedException.ThrowIf(owner.IsClosed, owner);
        var added = false;
        owner.DangerousAddRef(ref added);
        _owner = owner;
        Pointer = owner.DangerousGetHandle();
    }

    public nint Pointer { get; }

    public void Dispose() => _owner.DangerousRelease();
}
