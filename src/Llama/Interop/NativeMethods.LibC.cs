using System.Runtime.InteropServices;

namespace DocExtract.Llama.Interop;

internal static unsafe partial class NativeMethods
{
    private const int StandardError = 2;
    private const uint MemfdCloexec = 1;

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int dup(int oldfd);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int dup2(int oldfd, int newfd);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial nint pread(int fd, byte* buf, nuint count, long offset);

    [LibraryImport(LibC)]
    private static partial int fflush(nint stream);

    // By its soname rather than LibC: `models import` links files without loading a backend, so the resolver that
    // maps LibC may not be installed (and glibc's plain "libc.so" is a linker script, which does not load).
    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldpath, string newpath);

    /// <summary>link(2): gives <paramref name="existing"/> a second name (.NET 10 has no hard-link API). 0 or the errno.</summary>
    internal static int HardLink(string existing, string newPath) =>
        link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Points file descriptor 2 at a fresh in-memory file and returns the saved original descriptor and the memory
    /// file. A memory file rather than a pipe: the grammar parser echoes the whole grammar, which can exceed a pipe's
    /// buffer and would block the writer.
    /// </summary>
    internal static (int SavedStderr, int Capture) RedirectStderr()
    {
        var capture = memfd_create("docextract-stderr", MemfdCloexec);
        if (capture < 0)
        {
            throw new LlamaException($"memfd_create failed (errno {Marshal.GetLastPInvokeError()})");
        }

        _ = fflush(nint.Zero);
        var saved = dup(StandardError);
        if (saved < 0 || dup2(capture, StandardError) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (saved >= 0)
            {
                close(saved);
            }

            close(capture);
            throw new LlamaException($"could not redirect stderr (errno {errno})");
        }

        return (saved, capture);
    }

    /// <summary>Puts the original stderr back and returns what was written meanwhile (at most 64 KiB).</summary>
    internal static byte[] RestoreStderr(int savedStderr, int capture)
    {
        _ = fflush(nint.Zero);
        dup2(savedStderr, StandardError);
        close(savedStderr);
        try
        {
            var buffer = new byte[64 * 1024];
            fixed (byte* p = buffer)
            {
                var read = pread(capture, p, (nuint)buffer.Length, 0);
                return read <= 0 ? [] : buffer[..(int)read];
            }
        }
        finally
        {
            close(capture);
        }
    }
}
