using System.Globalization;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// The temporary folders that hold rendered pages while Tesseract reads them. Each is named after the worker that
/// owns it, docextract-ocr-{pid}-{start time}-{random}, so that a worker killed mid-OCR (#15 item 9) leaves folders
/// the next worker can recognise as orphans and remove: their process is gone, or the pid now belongs to a process
/// that started at another time (a container's worker is pid 1 after every restart).
/// </summary>
public static class OcrWorkspace
{
    public const string Prefix = "docextract-ocr-";

    public static string Create(string? root = null)
    {
        var owner = $"{Environment.ProcessId}-{StartTime(Environment.ProcessId)}-";
        if (root is null)
        {
            return Directory.CreateTempSubdirectory(Prefix + owner).FullName;
        }
        var path = Path.Combine(root, $"{Prefix}{owner}{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes the folders of workers that are no longer running; returns how many.</summary>
    public static int RemoveOrphans(string? root = null)
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root ?? Path.GetTempPath(), Prefix + "*"))
        {
            var parts = Path.GetFileName(folder)[Prefix.Length..].Split('-');
            if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ||
                StartTime(pid) == parts[1])
            {
                // Not ours to judge (another naming), or its worker still runs.
                continue;
            }
            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's folder, or one going away under us: not this worker's to clean.
            }
        }
        return removed;
    }

    // Field 22 of /proc/{pid}/stat: the process's start, in clock ticks since boot; "gone" when there is no such process.
    private static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "gone";
        }
    }
}
