using System.Text;

namespace DocExtract.Api.Documents;

/// <summary>
/// Decides from the first bytes, never from the file name, whether an upload is a PDF, and says what it
/// looks like when it is not, so the person uploading knows what they sent.
/// </summary>
public static class PdfSniffer
{
    // ISO 32000-1, 7.5.2 says the header is at the start; readers (and poppler) accept it within the first
    // 1024 bytes because some producers prepend junk.
    private const int HeaderWindow = 1024;
    private static readonly byte[] _pdfMagic = "%PDF-"u8.ToArray();

    public static bool LooksLikePdf(ReadOnlySpan<byte> head) =>
        head[..Math.Min(head.Length, HeaderWindow)].IndexOf(_pdfMagic) >= 0;

    public static string Describe(ReadOnlySpan<byte> head)
    {
        var known = Identify(head);
        var start = Printable(head[..Math.Min(head.Length, 8)]);
        return known is null ? $"starts with '{start}'" : $"starts with '{start}' ({known})";
    }

    private static string? Identify(ReadOnlySpan<byte> head) => head switch
    {
        [0x50, 0x4B, 0x03 or 0x05 or 0x07, ..] => "a ZIP archive, e.g. a .docx, .xlsx or .zip",
        [0x89, 0x50, 0x4E, 0x47, ..] => "a PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
        [0x47, 0x49, 0x46, 0x38, ..] => "a GIF image",
        [0x49, 0x49, 0x2A, 0x00, ..] or [0x4D, 0x4D, 0x00, 0x2A, ..] => "a TIFF image: scan to PDF instead",
        [0xD0, 0xCF, 0x11, 0xE0, ..] => "an old Office document, e.g. a .doc or .xls",
        [0x7B, 0x5C, 0x72, 0x74, 0x66, ..] => "an RTF document",
        [0x1F, 0x8B, ..] => "a gzip archive",
        [0x3C, ..] => "HTML or XML",
        _ => null,
    };

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 4);
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F && b != '\'' ? (char)b : $"\\x{b:X2}");
        }
        return text.ToString();
    }
}
