using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.TextExtraction;

public sealed record PageText(int Number, string Text, string Source);

public sealed record ExtractedText(IReadOnlyList<PageText> Pages, string Engine, TimeSpan Elapsed);

/// <summary>
/// The text layer of every page through poppler: pdfinfo for the page count and encryption, then one pdftotext
/// run whose form feeds separate the pages. Poppler's complaints become one line a person can act on.
/// </summary>
public sealed class PdfTextExtractor(ToolRunner tools, IOptions<TextExtractionOptions> options)
{
    public const string TextLayerSource = "text-layer";

    public async Task<ExtractedText> ExtractAsync(string pdfPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clock = Stopwatch.StartNew();
        var pageCount = await CountPagesAsync(pdfPath, settings, cancellationToken);
        if (pageCount > settings.MaxPages)
        {
            throw new PermanentExtractionException(
                $"the document has {pageCount} pages; the limit is {settings.MaxPages} (TextExtraction:MaxPages)");
        }

        List<string> arguments = ["-enc", "UTF-8", "-eol", "unix"];
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

        var pages = SplitPages(Encoding.UTF8.GetString(run.Stdout), pageCount);
        return new ExtractedText(pages, "poppler-pdftotext", clock.Elapsed);
    }

    private async Task<int> CountPagesAsync(string pdfPath, TextExtractionOptions settings, CancellationToken cancellationToken)
    {
        var run = await tools.RunAsync(settings.PdfinfoPath, [pdfPath], settings.Limits with { MaxOutputBytes = 1024 * 1024 }, cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new PermanentExtractionException(PopplerErrors.Summarise("pdfinfo", run));
        }
        foreach (var line in Encoding.UTF8.GetString(run.Stdout).Split('\n'))
        {
            if (line.StartsWith("Pages:", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6).Trim(), out var pages))
            {
                return pages > 0
                    ? pages
                    : throw new PermanentExtractionException("the PDF has no pages");
            }
        }
        throw new PermanentExtractionException("the PDF is corrupt: poppler found no page count");
    }

    // pdftotext ends every page with a form feed, so n pages give n+1 parts, the last one empty.
    private static List<PageText> SplitPages(string text, int pageCount)
    {
        var parts = text.Split('\f');
        var pages = new List<PageText>(pageCount);
        for (var i = 0; i < pageCount; i++)
        {
            var pageText = i < parts.Length ? parts[i].TrimEnd() : "";
            pages.Add(new PageText(i + 1, pageText, TextLayerSource));
        }
        return pages;
    }
}
