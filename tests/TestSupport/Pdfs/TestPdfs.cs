using System.Globalization;
using System.Text;

namespace DocExtract.TestSupport.Pdfs;

/// <summary>
/// Writes small, standard-conforming PDF 1.4 files: one page per entry, each line of text drawn in Helvetica
/// (one of the standard 14 fonts, so no font file is embedded or needed), with a correct cross-reference table.
/// Written here because PDFsharp 6.5 is AGPL-3.0 or commercial, and no MIT PDF writer is reachable.
/// </summary>
public static class TestPdfs
{
    private const double LineHeight = 14;
    private static readonly Encoding Latin1 = Encoding.Latin1;

    public static byte[] WithPages(params string[] pages)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pages.Length);
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "", // the page tree, written once the page objects have numbers
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        };
        var kids = new List<int>();
        foreach (var page in pages)
        {
            var stream = ContentStream(page);
            objects.Add($"<< /Length {Latin1.GetByteCount(stream)} >>\nstream\n{stream}\nendstream");
            var contentNumber = objects.Count;
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {contentNumber} 0 R >>");
            kids.Add(objects.Count);
        }
        objects[1] = $"<< /Type /Pages /Kids [{string.Join(' ', kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>";
        return Serialize(objects);
    }

    /// <summary>An invoice-like page whose every value is known, with a marker that makes it unique.</summary>
    public static byte[] Invoice(string marker) => WithPages(
        $"INVOICE {marker}\nSeller: Acme Supplies Ltd\nBuyer: Jones & Partners LLP\nDate: 2026-03-02\n" +
        "Item: Paper A4, 10 x 4.50 EUR = 45.00 EUR\nSubtotal: 45.00 EUR\nVAT 20%: 9.00 EUR\nTotal: 54.00 EUR");

    private static string ContentStream(string text)
    {
        var content = new StringBuilder("BT\n/F1 11 Tf\n");
        content.Append(CultureInfo.InvariantCulture, $"{LineHeight} TL\n50 790 Td\n");
        foreach (var line in text.Split('\n'))
        {
            content.Append('(').Append(Escape(line)).Append(") Tj T*\n");
        }
        return content.Append("ET").ToString();
    }

    // Literal strings (ISO 32000-1, 7.3.4.2): backslash, parentheses and non-Latin-1 characters need care.
    private static string Escape(string line)
    {
        var escaped = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            escaped.Append(c switch
            {
                '\\' or '(' or ')' => $"\\{c}",
                < ' ' => " ",
                > '\u00ff' => "?",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static byte[] Serialize(List<string> objects)
    {
        using var output = new MemoryStream();
        void Write(string s) => output.Write(Latin1.GetBytes(s));

        Write("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }
}
