namespace DocExtract.Api.WatchedFolder;

/// <summary>
/// Decides which inbox files are complete. A file is taken once its size and modification time have not changed
/// for SettleTime and no process on this machine holds it open for writing (read from /proc/*/fd and fdinfo's
/// flags: an exclusive open proves nothing on Linux, where locks are advisory). A writer on another machine of an
/// NFS or SMB share is invisible to /proc: the settle time is what covers it.
/// </summary>
public sealed class InboxScanner(string inbox, TimeSpan settleTime, TimeProvider clock)
{
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Size, DateTime Modified)> _done = new(StringComparer.Ordinal);

    private sealed record Observation(long Size, DateTime Modified, DateTimeOffset Since);

    /// <summary>Files complete now; whether others are still settling (then scan again soon).</summary>
    public (IReadOnlyList<string> Ready, bool Settling) Scan()
    {
        var now = clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var stable = new List<string>();
        foreach (var path in Directory.EnumerateFiles(inbox, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (IsIgnored(Path.GetRelativePath(inbox, path)))
            {
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

        var open = stable.Count > 0 ? OpenForWriting() : [];
        var ready = stable.Where(p => !open.Contains(p)).ToList();
        return (ready, _seen.Count > ready.Count);
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
                    // Another user's process: only root sees every writer (say so in the README).
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

    private static IEnumerable<string> SafeEnumerate(string folder)
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
}
