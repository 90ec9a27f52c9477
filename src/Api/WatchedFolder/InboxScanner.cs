using System.IO.Enumeration;

namespace DocExtract.Api.WatchedFolder;

/// <summary>
/// Decides which inbox files are complete. A file is taken once its size and modification time have not changed
/// for SettleTime and no process on this machine holds it open for writing (read from /proc/*/fd and fdinfo's
/// flags: an exclusive open proves nothing on Linux, where locks are advisory). A writer on another machine of an
/// NFS or SMB share is invisible to /proc: the settle time is what covers it.
/// Only regular files inside the inbox are taken: a symbolic link, to a file or a folder, is never followed
/// (issue #15: a link could make any file the service can read a document of the folder's tenant, move a file out of
/// its own folder, or loop), and is logged once while it stays.
/// </summary>
public sealed partial class InboxScanner(string inbox, TimeSpan settleTime, TimeProvider clock, ILogger logger)
{
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Size, DateTime Modified)> _done = new(StringComparer.Ordinal);
    private readonly HashSet<string> _linksReported = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writersReported = new(StringComparer.Ordinal);

    private sealed record Observation(long Size, DateTime Modified, DateTimeOffset Since);

    /// <summary>Files complete now; whether others are still settling (then scan again soon).</summary>
    public (IReadOnlyList<string> Ready, bool Settling) Scan()
    {
        var now = clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var stable = new List<string>();
        var links = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, isLink) in Entries(inbox))
        {
            if (IsIgnored(Path.GetRelativePath(inbox, path)))
            {
                continue;
            }
            if (isLink)
            {
                links.Add(path);
                if (_linksReported.Add(path))
                {
                    LogLinkSkipped(logger, Path.GetRelativePath(inbox, path));
                }
                continue;
            }
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                continue;
            }
            if (_done.TryGetValue(path, out var handled) && handled == (info.Length, info.LastWriteTimeUtc))
            {
                continue;
            }
            present.Add(path);
            if (!_seen.TryGetValue(path, out var earlier) || earlier.Size != info.Length || earlier.Modified != info.LastWriteTimeUtc)
            {
                _seen[path] = new Observation(info.Length, info.LastWriteTimeUtc, now);
            }
            else if (now - earlier.Since >= settleTime)
            {
                stable.Add(path);
            }
        }
        foreach (var gone in _seen.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _seen.Remove(gone);
        }
        // A link removed and made again is reported again.
        _linksReported.IntersectWith(links);

        var open = stable.Count > 0 ? OpenForWriting() : [];
        var ready = stable.Where(p => !open.Contains(p)).ToList();
        var held = stable.Where(open.Contains).ToHashSet(StringComparer.Ordinal);
        foreach (var path in held.Where(_writersReported.Add))
        {
            LogHeldByWriter(logger, Path.GetRelativePath(inbox, path));
        }
        // A file held again after its writer let go once is reported again.
        _writersReported.IntersectWith(held);
        return (ready, _seen.Count > ready.Count);
    }

    /// <summary>
    /// Every file under the folder, and every symbolic link (to a file or a folder), which is reported and never
    /// entered: folders are recursed into only when they are real folders, so a link loop is not walked either.
    /// </summary>
    private static FileSystemEnumerable<(string Path, bool IsLink)> Entries(string folder) =>
        new(folder, (ref FileSystemEntry entry) => (entry.ToFullPath(), IsLink(entry)), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || IsLink(entry),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(entry),
        };

    // On Unix, .NET marks a symbolic link with ReparsePoint; IsDirectory is true for a link to a folder.
    private static bool IsLink(in FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    /// <summary>
    /// Whether <paramref name="path"/> is a regular file reached from the inbox through real folders only, checked
    /// again just before a file is read or moved: a folder or the file may have been swapped for a link since the scan.
    /// </summary>
    public static bool IsPlainFileInside(string inbox, string path)
    {
        var relative = Path.GetRelativePath(inbox, path);
        if (Path.IsPathRooted(relative) || relative == "." || relative.Split(Path.DirectorySeparatorChar)[0] == "..")
        {
            return false;
        }
        var current = Path.GetFullPath(inbox);
        foreach (var part in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(current);
            if (!info.Exists)
            {
                info = new DirectoryInfo(current);
            }
            if (!info.Exists || info.LinkTarget is not null)
            {
                return false;
            }
        }
        return File.Exists(current);
    }

    /// <summary>Forgets a file that was handled or failed to be: moved away, or to be looked at afresh.</summary>
    public void Forget(string path) => _seen.Remove(path);

    /// <summary>A file left in place (KeepOriginals) and in the ledger: not offered again until it changes.</summary>
    public void MarkDone(string path)
    {
        if (_seen.Remove(path, out var seen))
        {
            _done[path] = (seen.Size, seen.Modified);
        }
    }

    /// <summary>Temporary and hidden files: office lock files, partial downloads, dotfiles, in any folder.</summary>
    public static bool IsIgnored(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.') || part.StartsWith("~$", StringComparison.Ordinal)) ||
        relativePath.EndsWith(".part", StringComparison.OrdinalIgnoreCase) ||
        relativePath.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) ||
        relativePath.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every path that some process here has open with write access (O_WRONLY or O_RDWR).</summary>
    private static HashSet<string> OpenForWriting()
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var process in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out _))
            {
                continue;
            }
            foreach (var fd in SafeEnumerate(Path.Combine(process, "fd")))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith('/') && IsWriteMode(Path.Combine(process, "fdinfo", Path.GetFileName(fd))))
                    {
                        open.Add(target);
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while we looked.
                }
                catch (UnauthorizedAccessException)
                {
                    // Another user's process: only root sees every writer (docs/operations.md says so).
                }
            }
        }
        return open;
    }

    private static bool IsWriteMode(string fdinfo)
    {
        var flags = File.ReadLines(fdinfo).FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
        // fdinfo gives the open flags in octal; the access mode is the lowest two bits (1 write, 2 read-write).
        return flags is not null && (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 3) != 0;
    }

    private static string[] SafeEnumerate(string folder)
    {
        try
        {
            return Directory.GetFileSystemEntries(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watched folder: {File} has settled but a process here still has it open for writing; it is taken once closed")]
    private static partial void LogHeldByWriter(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watched folder: {Link} is a symbolic link and is not taken: only regular files inside the inbox are; copy or move the file itself in")]
    private static partial void LogLinkSkipped(ILogger logger, string link);
}
