using System.Text.RegularExpressions;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// Turns poppler's stderr (often hundreds of repeated lines) into one reason a person can act on: the common
/// complaints become a sentence saying what is wrong and what to do, and the raw messages follow in parentheses as
/// the details (#14).
/// </summary>
public static partial class PopplerErrors
{
    public const string PasswordRequired = "encrypted: a password is required; send it in the upload's `password` field, or send an unprotected copy (`extract` takes --password-file)";

    public const string PasswordUnreadable = "encrypted: the upload's password could not be opened";

    public const string WrongPassword = "encrypted: the password given does not open the PDF; check it, or send an unprotected copy";

    private const string SaveAgain = "open it in the program that made it and save or export it again";

    // Raw poppler complaint -> what it means for the person who sent the file.
    private static readonly (string Raw, string Meaning)[] _known =
    [
        ("in hex string", $"the PDF is corrupt: a string inside it is malformed; {SaveAgain}"),
        ("Couldn't find trailer dictionary", $"the PDF is corrupt: its end (the trailer that indexes its contents) is missing, as in a file cut off in transfer; send the complete file, or {SaveAgain}"),
        ("Couldn't read xref table", $"the PDF is corrupt: its index of contents (the xref table) is unreadable; {SaveAgain}"),
        ("May not be a PDF file", "the PDF is corrupt: poppler does not recognise it as a PDF, though it starts like one; send the PDF itself"),
        ("Catalog object is wrong type", $"the PDF is corrupt: its root object is damaged; {SaveAgain}"),
        ("Invalid XRef entry", $"the PDF is corrupt: its index of contents (the xref table) points to the wrong places; {SaveAgain}"),
        ("Unknown compression method", "the PDF is corrupt or uses a compression poppler cannot read; export it again as PDF/A or with standard settings"),
    ];

    public static string Summarise(string tool, ToolResult run, long? memoryBytes = null)
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
        // Under prlimit's address-space cap an allocation fails: std::bad_alloc aborts the tool (134), or it is killed (137).
        if (run.ExitCode is 134 or 137 or -9 || detail.Contains("std::bad_alloc", StringComparison.Ordinal) ||
            run.Stderr.Contains("bad_alloc", StringComparison.Ordinal))
        {
            var limit = memoryBytes is { } bytes ? $"{bytes / (1024 * 1024)} MB" : "the limit";
            return $"the PDF needs more memory than {limit}, the limit of one tool run (TextExtraction:ToolMemoryBytes raises it) ({tool}: {detail})";
        }
        var meaning = _known.FirstOrDefault(k => distinct.Any(l => l.Contains(k.Raw, StringComparison.Ordinal))).Meaning;
        return $"{meaning ?? "the PDF is corrupt or unreadable"} ({tool}: {detail})";
    }

    [GeneratedRegex(@" \(\d+\)")]
    private static partial Regex Offset();
}
