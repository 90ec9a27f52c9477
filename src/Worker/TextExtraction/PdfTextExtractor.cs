using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.TextExtraction;

public sealed record PageText(int Number, string Text, string Source);

public sealed record ExtractedText(IReadOnlyList<PageText> Pages, string Engine, TimeSpan Elapsed);

/// <summary>
/// The text of every page. One pdftotext run reads the text layer: its form feeds separate the pages, so no
/// separate pdfinfo run is needed, and reading at most MaxPages + 1 pages enforces the page limit without reading
/// the rest. Pages without a usable text layer (fewer than OcrMinTextChars non-whitespace characters: scans) are
/// then OCRed one at a time (issue #4), so a mixed document gets both sources. DocumentTimeout bounds all of it.
/// Poppler's complaints become one line a person can act on.
/// </summary>
public sealed class PdfTextExtractor(ToolRunner tools, PageOcr ocr, IOptions<TextExtractionOptions> options)
{
    public const string TextLayerSource = "text-layer";

    /// <summary>An extractor outside dependency injection (tests, benchmarks).</summary>
    public static PdfTextExtractor Create(TextExtractionOptions settings)
    {
        var tools = new ToolRunner();
        var options = Options.Create(settings);
        return new PdfTextExtractor(tools, new PageOcr(tools, options), options);
    }

    public async Task<ExtractedText> ExtractAsync(string pdfPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.DocumentTimeout);
        try
        {
            var pages = await ReadTextLayerAsync(pdfPath, deadline.Token);
            var scanned = await PagesToOcrAsync(pdfPath, pages, deadline.Token);
            if (scanned.Count > 0)
            {
                var folder = Directory.CreateTempSubdirectory("docextract-ocr-").FullName;
                try
                {
                    foreach (var number in scanned)
                    {
                        pages[number - 1] = await ocr.ReadAsync(pdfPath, number, folder, deadline.Token);
                    }
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            return new ExtractedText(pages, scanned.Count > 0 ? "poppler-pdftotext+tesseract" : "poppler-pdftotext", clock.Elapsed);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PermanentExtractionException(
                $"the text of the document took longer than {settings.DocumentTimeout.TotalSeconds:0} s, the limit (TextExtraction:DocumentTimeout)");
        }
    }

    private async Task<List<PageText>> ReadTextLayerAsync(string pdfPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
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
        return pages;
    }

    /// <summary>
    /// Pages without a usable text layer: fewer than OcrMinTextChars non-whitespace characters, and at least one
    /// image on the page (pdfimages -list), since a page without images has nothing more for OCR to read. The image
    /// test keeps short digital pages (a title, a few words of Armenian) as they are and skips blank pages.
    /// </summary>
    private async Task<List<int>> PagesToOcrAsync(string pdfPath, List<PageText> pages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var shortPages = pages.Where(p => !HasUsableText(p.Text, settings.OcrMinTextChars)).Select(p => p.Number).ToList();
        if (shortPages.Count == 0)
        {
            return shortPages;
        }
        var first = shortPages[0].ToString(CultureInfo.InvariantCulture);
        var last = shortPages[^1].ToString(CultureInfo.InvariantCulture);
        var list = await tools.RunAsync(settings.PdfimagesPath, ["-list", "-f", first, "-l", last, pdfPath], settings.Limits, cancellationToken);
        if (list.ExitCode != 0)
        {
            // Without the list, OCR finds out: a page without images reads as empty.
            return shortPages;
        }
        var withImages = Encoding.UTF8.GetString(list.Stdout).Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 2 && fields[2] is "image" or "mask" or "smask" or "stencil")
            .Select(fields => int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 0)
            .ToHashSet();
        return [.. shortPages.Where(withImages.Contains)];
    }

    private static bool HasUsableText(string text, int minimum)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && ++count >= minimum)
            {
                return true;
            }
        }
        return false;
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
