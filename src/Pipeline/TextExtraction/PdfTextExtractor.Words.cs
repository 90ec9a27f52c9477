using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocExtract.Persistence.Results;

namespace DocExtract.Pipeline.TextExtraction;

public sealed partial class PdfTextExtractor
{
    /// <summary>
    /// The words of the text-layer pages with their boxes (#13): `pdftotext -bbox-layout`, a second run beside the one
    /// whose text is kept byte for byte, under the same limits. Its coordinates are points in the page as rendered
    /// (/Rotate applied) from the media box's top-left corner, as pdftoppm renders it; the page size it prints is the
    /// media box before /Rotate, so a page turned by 90 or 270 degrees (pdfinfo) has its width and height swapped.
    /// The boxes only help a person check a value: a run that fails or outgrows its limit leaves them out, with a
    /// note, and never fails the document.
    /// </summary>
    private async Task<List<PageText>> WithWordBoxesAsync(string pdfPath, List<PageText> pages, List<string> notes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var last = pages.Count.ToString(CultureInfo.InvariantCulture);
        ToolResult layout, info;
        try
        {
            layout = await tools.RunAsync(settings.PdftotextPath, ["-enc", "UTF-8", "-bbox-layout", "-l", last, pdfPath, "-"], settings.Limits, cancellationToken);
            info = await tools.RunAsync(settings.PdfinfoPath, ["-f", "1", "-l", last, pdfPath], settings.Limits, cancellationToken);
        }
        catch (PermanentExtractionException e) when (e is ToolOutputTooLargeException or ToolTimeoutException)
        {
            notes.Add($"the text layer's word boxes were left out: {e.Message}");
            return WithoutWords(pages);
        }
        if (layout.ExitCode != 0 || info.ExitCode != 0)
        {
            // Without pdfinfo's turns a page turned by /Rotate would be boxed in the wrong frame: no boxes rather than wrong ones.
            var (tool, run) = layout.ExitCode != 0 ? ("pdftotext", layout) : ("pdfinfo", info);
            notes.Add($"the text layer's word boxes were left out: {PopplerErrors.Summarise(tool, run, settings.ToolMemoryBytes)}");
            return WithoutWords(pages);
        }
        var turns = PageRotation().Matches(Encoding.UTF8.GetString(info.Stdout)).ToDictionary(
            m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var found = TextLayerWords(Encoding.UTF8.GetString(layout.Stdout), turns);
        return [.. pages.Select(page => page with
        {
            Words = page.Number <= found.Count ? WordPlacer.Place(page.Text, found[page.Number - 1]) : [],
        })];
    }

    // Empty rather than null: null says the setting is off, empty that no word could be boxed.
    private static List<PageText> WithoutWords(List<PageText> pages) => [.. pages.Select(page => page with { Words = [] })];

    /// <summary>Each page's words from -bbox-layout's XHTML, in the rendered page's 0-1 frame.</summary>
    internal static List<List<WordBox.Found>> TextLayerWords(string xhtml, IReadOnlyDictionary<int, int> turns)
    {
        // The output is poppler's own fixed format (one element a line, attributes in one order), read with patterns
        // rather than an XML parser, which would refuse the whole page for one control character a PDF maps a glyph to.
        var pages = new List<List<WordBox.Found>>();
        var starts = LayoutPage().Matches(xhtml);
        for (var i = 0; i < starts.Count; i++)
        {
            var (width, height) = (Coordinate(starts[i].Groups[1].Value), Coordinate(starts[i].Groups[2].Value));
            if (turns.GetValueOrDefault(i + 1) % 180 == 90)
            {
                (width, height) = (height, width);
            }
            var end = i + 1 < starts.Count ? starts[i + 1].Index : xhtml.Length;
            var words = new List<WordBox.Found>();
            if (width > 0 && height > 0)
            {
                foreach (Match word in LayoutWord().Matches(xhtml[starts[i].Index..end]))
                {
                    words.Add(new WordBox.Found(WebUtility.HtmlDecode(word.Groups[5].Value),
                        Coordinate(word.Groups[1].Value) / width, Coordinate(word.Groups[2].Value) / height,
                        Coordinate(word.Groups[3].Value) / width, Coordinate(word.Groups[4].Value) / height));
                }
            }
            pages.Add(words);
        }
        return pages;

        static double Coordinate(string value) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    [GeneratedRegex(@"<page width=""([-0-9.]+)"" height=""([-0-9.]+)"">")]
    private static partial Regex LayoutPage();

    [GeneratedRegex(@"<word xMin=""([-0-9.]+)"" yMin=""([-0-9.]+)"" xMax=""([-0-9.]+)"" yMax=""([-0-9.]+)"">([^<]*)</word>")]
    private static partial Regex LayoutWord();

    [GeneratedRegex(@"^Page\s+(\d+) rot:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PageRotation();
}
