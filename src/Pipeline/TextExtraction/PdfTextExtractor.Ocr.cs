using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocExtract.Persistence.Results;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>A page to OCR and the resolution its largest image was scanned at (pdfimages -list), when known.</summary>
internal sealed record ScannedPage(int Number, double? ImagePpi);

public sealed partial class PdfTextExtractor
{
    /// <summary>
    /// OCRs the scanned pages into <paramref name="pages"/>. Checked first: the page budget (OcrMaxPages), so a
    /// 500-page scan fails at once instead of holding a worker for DocumentTimeout (#15 item 10). The first page
    /// decides the language of a document that named none; the rest follow it, OcrParallelPages at a time.
    /// </summary>
    private async Task OcrAsync(
        string pdfPath, List<PageText> pages, List<ScannedPage> scanned, string? languages, List<string> notes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (scanned.Count > settings.OcrMaxPages)
        {
            throw new PermanentExtractionException(
                $"the document has {scanned.Count} pages to OCR, more than {settings.OcrMaxPages}, the limit (TextExtraction:OcrMaxPages); " +
                "send it in parts, or with a text layer");
        }
        var sizes = await PageSizesAsync(pdfPath, scanned[0].Number, scanned[^1].Number, cancellationToken);
        var folder = OcrWorkspace.Create();
        try
        {
            async Task<PageOcr.Prepared> PrepareAsync(ScannedPage page, CancellationToken token) => await ocr.PrepareAsync(
                pdfPath, page.Number, PageOcr.ChooseDpi(settings, page.ImagePpi, sizes.GetValueOrDefault(page.Number)), folder, token);

            var first = await PrepareAsync(scanned[0], cancellationToken);
            var reading = languages is null
                ? await BestLanguageAsync(first, notes, cancellationToken)
                : await ocr.ReadAsync(first, languages, cancellationToken);
            Record(pages, first, reading, notes);
            File.Delete(first.ImagePath);

            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.OcrParallelPages), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(scanned.Skip(1), parallel, async (page, token) =>
            {
                var prepared = await PrepareAsync(page, token);
                var read = await ocr.ReadAsync(prepared, reading.Languages, token);
                File.Delete(prepared.ImagePath);
                lock (pages)
                {
                    Record(pages, prepared, read, notes);
                }
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        notes.Sort(StringComparer.Ordinal);
    }

    /// <summary>
    /// The reading of the first page in the configured language that reads it best (Tesseract's mean word
    /// confidence), among those written in the script OSD saw: one pack at a time, since stacking them reads less
    /// (`eng+fra` read a French scan worse than `fra` alone: #14).
    /// </summary>
    private async Task<PageOcr.Reading> BestLanguageAsync(PageOcr.Prepared page, List<string> notes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var configured = OcrLanguages.Split(settings.OcrLanguages);
        var candidates = OcrLanguages.For(page.Orientation.Script, configured);
        if (candidates.Count == 0)
        {
            notes.Add($"Tesseract sees {page.Orientation.Script} script on page {page.Page}, which none of the installed OCR languages " +
                $"({string.Join(", ", configured)}) reads: install its tesseract-ocr-* package and add it to TextExtraction:OcrLanguages");
            candidates = [configured[0]];
        }
        var readings = new PageOcr.Reading[candidates.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.OcrParallelPages), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, candidates.Count), parallel, async (i, token) =>
            readings[i] = await ocr.ReadAsync(page, candidates[i], token));
        // Ties go to the language configured first.
        return readings.MaxBy(r => r.Confidence ?? -1)!;
    }

    /// <summary>
    /// Puts a page's OCR in place of its text layer, unless the layer held text and OCR read it with low confidence
    /// (a Chinese scan whose layer held only a date read as Latin garbage: #14): then the layer stays.
    /// </summary>
    private void Record(List<PageText> pages, PageOcr.Prepared prepared, PageOcr.Reading reading, List<string> notes)
    {
        var settings = options.Value;
        var layer = pages[prepared.Page - 1];
        var described = ocr.Describe(prepared, reading);
        var read = new PageText(prepared.Page, reading.Text, PageOcr.Source, described)
        {
            Words = settings.WordBoxes ? WordPlacer.Place(reading.Text, reading.Words) : null,
        };
        if (!described.LowConfidence)
        {
            pages[prepared.Page - 1] = read;
            return;
        }
        var confidence = reading.Confidence is { } c ? c.ToString("0", CultureInfo.InvariantCulture) : "none";
        var keep = layer.Text.Any(ch => !char.IsWhiteSpace(ch));
        notes.Add($"page {prepared.Page}: OCR ({reading.Languages}) read it with low confidence ({confidence} of 100, under " +
            $"TextExtraction:OcrLowConfidence {settings.OcrLowConfidence:0}); " +
            (keep ? "its own text layer was kept" : "its text may be wrong"));
        pages[prepared.Page - 1] = keep ? layer with { Ocr = described with { KeptTextLayer = true } } : read;
    }

    /// <summary>Each page's size in points (pdfinfo), to bound its rendering; empty when pdfinfo cannot say.</summary>
    private async Task<Dictionary<int, (double Width, double Height)>> PageSizesAsync(
        string pdfPath, int first, int last, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var run = await tools.RunAsync(settings.PdfinfoPath,
            ["-f", first.ToString(CultureInfo.InvariantCulture), "-l", last.ToString(CultureInfo.InvariantCulture), pdfPath],
            settings.Limits, cancellationToken);
        return PageSize().Matches(Encoding.UTF8.GetString(run.Stdout)).ToDictionary(
            m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            m => (double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"^Page\s+(\d+) size:\s+([0-9.]+) x ([0-9.]+) pts", RegexOptions.Multiline)]
    private static partial Regex PageSize();
}
