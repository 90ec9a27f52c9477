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
    private static readonly Encoding _latin1 = Encoding.Latin1;

    // A ToUnicode map (ISO 32000-1, 9.10.3) that reads the code of '~' as U+0000 followed by '~'.
    private const string NulBeforeTilde = """
        /CIDInit /ProcSet findresource begin
        12 dict begin
        begincmap
        /CMapName /DocExtract-Nul-Tilde def
        /CMapType 2 def
        1 begincodespacerange
        <00> <FF>
        endcodespacerange
        1 beginbfchar
        <7E> <0000007E>
        endbfchar
        endcmap
        CMapName currentdict /CMap defineresource pop
        end
        end
        """;

    public static byte[] WithPages(params string[] pages) => Write(pages, toUnicode: null);

    /// <summary>
    /// One page whose every '~' is drawn with a glyph the font's ToUnicode map reads as U+0000 and '~': pdftotext
    /// writes a NUL there, as from a PDF whose font maps a glyph to U+0000 (issue #15).
    /// </summary>
    public static byte[] WithNulInText(string text) => Write([text], NulBeforeTilde);

    private static byte[] Write(string[] pages, string? toUnicode)
    {
        ArgumentOutOfRangeException.ThrowIfZero(pages.Length);
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "", // the page tree, written once the page objects have numbers
            "", // the font, written once its ToUnicode map has a number
        };
        var kids = new List<int>();
        foreach (var page in pages)
        {
            var stream = ContentStream(page);
            objects.Add($"<< /Length {_latin1.GetByteCount(stream)} >>\nstream\n{stream}\nendstream");
            var contentNumber = objects.Count;
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {contentNumber} 0 R >>");
            kids.Add(objects.Count);
        }
        objects[1] = $"<< /Type /Pages /Kids [{string.Join(' ', kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>";
        var toUnicodeReference = "";
        if (toUnicode is not null)
        {
            objects.Add($"<< /Length {_latin1.GetByteCount(toUnicode)} >>\nstream\n{toUnicode}\nendstream");
            toUnicodeReference = $" /ToUnicode {objects.Count} 0 R";
        }
        objects[2] = $"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding{toUnicodeReference} >>";
        return Serialize(objects);
    }

    /// <summary>
    /// One page of <paramref name="width"/> x <paramref name="height"/> points with the text drawn at
    /// <paramref name="fontSize"/> points, turned <paramref name="degrees"/> counter-clockwise about its first line
    /// (a skewed original for <see cref="Scan"/>).
    /// </summary>
    public static byte[] Page(string text, double width, double height, double fontSize, double degrees = 0)
    {
        var (cos, sin) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
        var top = height - (fontSize * 2);
        var stream = string.Create(CultureInfo.InvariantCulture,
            $"BT\n/F1 {fontSize} Tf\n{fontSize * 1.3} TL\n{cos:0.#####} {sin:0.#####} {-sin:0.#####} {cos:0.#####} {fontSize} {top} Tm\n") +
            string.Concat(text.Split('\n').Select(line => $"({Escape(line)}) Tj T*\n")) + "ET";
        return Serialize(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            $"<< /Length {_latin1.GetByteCount(stream)} >>\nstream\n{stream}\nendstream",
            string.Create(CultureInfo.InvariantCulture, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"),
        ]);
    }

    /// <summary>
    /// An image-only page, as a scanner makes it: the grey image (binary PGM, as `pdftoppm -gray` writes it) fills a
    /// page of <paramref name="width"/> x <paramref name="height"/> points, so its resolution is its pixels over the
    /// page's inches. <paramref name="textLayer"/> adds invisible text (render mode 3), as a scanner's stray OCR does.
    /// </summary>
    public static byte[] Scan(byte[] pgm, double width, double height, string? textLayer = null)
    {
        var (columns, rows, pixels) = ParsePgm(pgm);
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(pixels);
        }
        var text = textLayer is null ? "" : $"BT 3 Tr /F1 10 Tf 20 20 Td ({Escape(textLayer)}) Tj ET\n";
        var content = string.Create(CultureInfo.InvariantCulture, $"q {width} 0 0 {height} 0 0 cm /Im1 Do Q\n{text}");
        return Serialize(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            $"<< /Type /XObject /Subtype /Image /Width {columns} /Height {rows} /ColorSpace /DeviceGray /BitsPerComponent 8 " +
                $"/Filter /FlateDecode /Length {compressed.Length} >>\nstream\n{_latin1.GetString(compressed.ToArray())}\nendstream",
            $"<< /Length {_latin1.GetByteCount(content)} >>\nstream\n{content}\nendstream",
            string.Create(CultureInfo.InvariantCulture,
                $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>"),
        ]);
    }

    // The header pdftoppm -gray writes: "P5\n{width} {height}\n255\n", then the pixels.
    private static (int Width, int Height, byte[] Pixels) ParsePgm(byte[] pgm)
    {
        var header = _latin1.GetString(pgm, 0, Math.Min(pgm.Length, 64)).Split('\n', 4);
        var size = header[1].Split(' ');
        var pixels = pgm[(header[0].Length + header[1].Length + header[2].Length + 3)..];
        return (int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture), pixels);
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
        void Write(string s) => output.Write(_latin1.GetBytes(s));

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
