using System.Diagnostics;
using System.Globalization;
using System.Text;
using DocExtract.Persistence.Results;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>The text of a document; <see cref="Notes"/> says what a reader of it should know (low OCR confidence).</summary>
public sealed record ExtractedText(IReadOnlyList<PageText> Pages, string Engine, TimeSpan Elapsed)
{
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// What a document asked of the text stage: OCR languages (eng+fra; null: chosen from the scan), and the password of a
/// protected PDF, which never appears in ToString (logs).
/// </summary>
public sealed record TextRequest(string? Languages = null, string? Password = null)
{
    public override string ToString() => $"TextRequest {{ Languages = {Languages}, Password = {(Password is null ? "none" : "given")} }}";
}

/// <summary>
/// The text of every page. One pdftotext run reads the text layer: its form feeds separate the pages, so no
/// separate pdfinfo run is needed, and reading at most MaxPages + 1 pages enforces the page limit without reading
/// the rest. Pages without a usable text layer (fewer than OcrMinTextChars non-whitespace characters: scans) are
/// then OCRed (issue #4), so a mixed document gets both sources: the first one alone, to choose the language of an
/// unlabelled document, the rest OcrParallelPages at a time (#14). DocumentTimeout bounds all of it, OcrMaxPages
/// the pages to OCR. Poppler's complaints become one line a person can act on.
/// </summary>
public sealed partial class PdfTextExtractor(ToolRunner tools, PageOcr ocr, IOptions<TextExtractionOptions> options)
{
    public const string TextLayerSource = "text-layer";

    /// <summary>An extractor outside dependency injection (tests, benchmarks).</summary>
    public static PdfTextExtractor Create(TextExtractionOptions settings)
    {
        var tools = new ToolRunner();
        var options = Options.Create(settings);
        return new PdfTextExtractor(tools, new PageOcr(tools, options), options);
    }

    public Task<ExtractedText> ExtractAsync(string pdfPath, CancellationToken cancellationToken) =>
        ExtractAsync(pdfPath, new TextRequest(), cancellationToken);

    public async Task<ExtractedText> ExtractAsync(string pdfPath, TextRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var languages = OcrLanguages.Requested(request.Languages, settings);
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.DocumentTimeout);
        string? unlocked = null;
        try
        {
            if (request.Password is { } password)
            {
                unlocked = OcrWorkspace.Create();
                pdfPath = await PdfDecryption.DecryptAsync(tools, settings, pdfPath, password, unlocked, deadline.Token);
            }
            var notes = new List<string>();
            var pages = await ReadTextLayerAsync(pdfPath, deadline.Token);
            if (settings.WordBoxes)
            {
                pages = await WithWordBoxesAsync(pdfPath, pages, notes, deadline.Token);
            }
            var scanned = await PagesToOcrAsync(pdfPath, pages, deadline.Token);
            if (scanned.Count > 0)
            {
                await OcrAsync(pdfPath, pages, scanned, languages, notes, deadline.Token);
            }
            return new ExtractedText(pages, scanned.Count > 0 ? "poppler-pdftotext+tesseract" : "poppler-pdftotext", clock.Elapsed) { Notes = notes };
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PermanentExtractionException(
                $"the text of the document took longer than {settings.DocumentTimeout.TotalSeconds:0} s, the limit (TextExtraction:DocumentTimeout)");
        }
        finally
        {
            if (unlocked is not null)
            {
                Directory.Delete(unlocked, recursive: true);
            }
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
            throw new PermanentExtractionException(PopplerErrors.Summarise("pdftotext", run, settings.ToolMemoryBytes));
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
    /// test keeps short digital pages (a title, a few words of Armenian) as they are and skips blank pages. The same
    /// list gives the resolution each page's largest image was scanned at.
    /// </summary>
    private async Task<List<ScannedPage>> PagesToOcrAsync(string pdfPath, List<PageText> pages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var shortPages = pages.Where(p => !HasUsableText(p.Text, settings.OcrMinTextChars)).Select(p => p.Number).ToList();
        if (shortPages.Count == 0)
        {
            return [];
        }
        var first = shortPages[0].ToString(CultureInfo.InvariantCulture);
        var last = shortPages[^1].ToString(CultureInfo.InvariantCulture);
        var list = await tools.RunAsync(settings.PdfimagesPath, ["-list", "-f", first, "-l", last, pdfPath], settings.Limits, cancellationToken);
        if (list.ExitCode != 0)
        {
            // Without the list, OCR finds out: a page without images reads as empty.
            return [.. shortPages.Select(p => new ScannedPage(p, null))];
        }
        // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        var largest = Encoding.UTF8.GetString(list.Stdout).Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 2 && fields[2] is "image" or "mask" or "smask" or "stencil")
            .Select(fields => (
                Page: Number(fields, 0) is { } page ? (int)page : 0,
                Pixels: (Number(fields, 3) ?? 0) * (Number(fields, 4) ?? 0),
                Ppi: Number(fields, 12) is { } x && Number(fields, 13) is { } y ? Math.Max(x, y) : (double?)null))
            .GroupBy(image => image.Page)
            .ToDictionary(g => g.Key, g => g.MaxBy(image => image.Pixels).Ppi);
        return [.. shortPages.Where(largest.ContainsKey).Select(p => new ScannedPage(p, largest[p]))];
    }

    private static double? Number(string[] fields, int index) =>
        fields.Length > index && double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

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
