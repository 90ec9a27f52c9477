using System.Text.RegularExpressions;

namespace DocExtract.Worker.TextExtraction;

/// <summary>Turns poppler's stderr (often hundreds of repeated lines) into one reason a person can act on.</summary>
public static partial class PopplerErrors
{
    public const string PasswordRequired = "encrypted: a password is required";

    public static string Summarise(string tool, ToolResult run)
    {
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Any(l => l.Contains("Incorrect password", StringComparison.Ordinal)))
        {
            return PasswordRequired;
        }
        if (lines.Any(l => l.Contains("Wrong page range", StringComparison.Ordinal)))
        {
            return "the PDF is corrupt: poppler found no readable pages";
        }

        // Offsets such as "(25145)" make every line unique; without them the repeats fold together.
        var distinct = lines.Where(l => l.Contains("Error", StringComparison.Ordinal))
            .Select(l => Offset().Replace(l, ""))
            .Distinct().Take(3).ToList();
        var detail = distinct.Count > 0 ? string.Join("; ", distinct) : $"{tool} exited with code {run.ExitCode}";
        if (run.ExitCode is 137 or -9 || detail.Contains("std::bad_alloc", StringComparison.Ordinal))
        {
            return $"the PDF could not be read within the memory limit ({tool}: {detail})";
        }
        return $"the PDF is corrupt or unreadable ({tool}: {detail})";
    }

    [GeneratedRegex(@" \(\d+\)")]
    private static partial Regex Offset();
}
