using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.TextExtraction;

public sealed record PageText(int Number, string Text, string Source);

public sealed record ExtractedText(IReadOnlyList<PageText> Pages, string Engine, TimeSpan Elapsed);

/// <summary>
/// The text layer of every page through one pdftotext run: its form feeds separate the pages, so no separate
/// pdfinfo run is needed (one process per document, not two), and reading at most MaxPages + 1 pages enforces the
/// page limit without reading the rest. Poppler's complaints become one line a person can act on.
/// </summary>
public sealed class PdfTextExtractor(ToolRunner tools, IOptions<TextExtractionOptions> options)
{
    public const string TextLayerSource = "text-layer";

    public async Task<ExtractedText> ExtractAsync(string pdfPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clock = Stopwatch.StartNew();
        List<string> arguments = ["-enc", "UTF-8", "-eol", "unix", "-l", (settings.MaxPages + 1).ToString(CultureInfo.InvariantCulture)];
        if (settings.PreserveLayout)
        {
            arguments.Add("-layout");
        }
        arguments.AddRange([pdfPath, "-"]);
        var run = await tools.RunAsync(settings.PdftotextPath, arguments, settings.Limits, cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new PermanentExtractionException(PopplerErrors.Summarise("pdftotext", run));
        }

        var pages = SplitPages(Encoding.UTF8.GetString(run.Stdout));
        if (pages.Count == 0)
        {
            throw new PermanentExtractionException("the PDF has no pages");
        }
        if (pages.Count > settings.MaxPages)
        {
            throw new PermanentExtractionException(
                $"the document has more than {settings.MaxPages} pages, the limit (TextExtraction:MaxPages)");
        }
        return new ExtractedText(pages, "poppler-pdftotext", clock.Elapsed);
    }

    // pdftotext ends every page, empty ones too, with a form feed: n pages give n+1 parts, the last one empty.
    private static List<PageText> SplitPages(string text)
    {
        var parts = text.Split('\f');
        var pages = new List<PageText>(parts.Length);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            pages.Add(new PageText(i + 1, parts[i].TrimEnd(), TextLayerSource));
        }
        return pages;
    }
}
