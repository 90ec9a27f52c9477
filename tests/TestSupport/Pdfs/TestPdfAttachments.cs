using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DocExtract.TestSupport.Pdfs;

/// <summary>
/// PDFs with embedded files (#12), made from <see cref="TestPdfs"/> output by an incremental update (ISO 32000-1,
/// 7.5.6): each file's bytes in an embedded file stream, a file specification for it, and a new catalog (object 1,
/// as <see cref="TestPdfs"/> numbers it) that lists them in its EmbeddedFiles name tree and its associated files
/// (/AF, as PDF/A-3 e-invoices carry their XML), with a cross-reference section for the new objects.
/// </summary>
public static partial class TestPdfAttachments
{
    private static readonly Encoding _latin1 = Encoding.Latin1;

    public static byte[] WithAttachments(string[] pages, params (string Name, byte[] Content)[] files)
    {
        var original = TestPdfs.WithPages(pages);
        var tail = _latin1.GetString(original[Math.Max(0, original.Length - 1024)..]);
        var size = int.Parse(Size().Match(tail).Groups[1].Value, CultureInfo.InvariantCulture);
        var previous = StartXref().Matches(tail)[^1].Groups[1].Value;

        using var output = new MemoryStream();
        output.Write(original);
        void Write(string s) => output.Write(_latin1.GetBytes(s));
        var offsets = new SortedDictionary<int, long>();
        var next = size;
        int Add(string body)
        {
            var number = next++;
            offsets[number] = output.Position;
            Write($"{number} 0 obj\n{body}\nendobj\n");
            return number;
        }

        var specifications = new List<(string Name, int Number)>();
        foreach (var (name, content) in files)
        {
            // Written as a literal string as it is: a name needing escapes is not one a test needs.
            ArgumentOutOfRangeException.ThrowIfNotEqual(name.IndexOfAny(['(', ')', '\\']), -1, nameof(files));
            // Latin-1 maps bytes 0-255 one to one, so the file's bytes pass through the string unchanged.
            var stream = Add($"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length {content.Length} >>\nstream\n{_latin1.GetString(content)}\nendstream");
            specifications.Add((name, Add($"<< /Type /Filespec /F ({name}) /UF ({name}) /AFRelationship /Alternative /EF << /F {stream} 0 R >> >>")));
        }
        var names = string.Join(' ', specifications.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"({s.Name}) {s.Number} 0 R"));
        offsets[1] = output.Position;
        Write($"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [{names}] >> >> " +
              $"/AF [{string.Join(' ', specifications.Select(s => $"{s.Number} 0 R"))}] >>\nendobj\n");

        var xref = output.Position;
        Write("xref\n");
        foreach (var (number, offset) in offsets)
        {
            Write($"{number} 1\n{offset:D10} 00000 n \n");
        }
        Write($"trailer\n<< /Size {next} /Root 1 0 R /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    [GeneratedRegex(@"/Size (\d+)")]
    private static partial Regex Size();

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();
}
