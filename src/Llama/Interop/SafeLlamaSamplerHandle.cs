using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

/// <summary>
/// Owns a <c>llama_sampler*</c>; releasing it calls <c>llama_sampler_free</c>. A sampler handed to a chain belongs
/// to the chain from then on (llama.h: "do not free if the sampler has been added to a llama_sampler_chain"), so
/// <see cref="NativeMethods.AddToChain"/> marks the handle as given away.
/// </summary>
internal sealed class SafeLlamaSamplerHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.FreeSampler(handle);
        return true;
    }
}
