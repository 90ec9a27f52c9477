using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocExtract.Persistence.Results;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// The text of one page without a usable text layer (issue #4): pdftoppm renders that page alone to a grey PGM at
/// the resolution its image was scanned at (bounded: <see cref="ChooseDpi"/>), Tesseract's orientation and script
/// detection (--psm 0) says how far it is turned, the image is turned upright here only when Tesseract is sure
/// (PGM is a bare byte grid, so no image library is needed), and Tesseract reads it, writing the text and its
/// words' confidences and boxes (TSV: #13) in one run. Every step is a ToolRunner child under the same limits as
/// pdftotext.
/// </summary>
public sealed partial class PageOcr(ToolRunner tools, IOptions<TextExtractionOptions> options)
{
    public const string Source = "ocr";

    /// <summary>
    /// A page rendered and turned upright, ready to be read in any language; <paramref name="Width"/> and
    /// <paramref name="Height"/> are those of the image pdftoppm rendered, before any turn (the frame of word boxes).
    /// </summary>
    public sealed record Prepared(int Page, string ImagePath, int Dpi, Orientation Orientation, Skew? Skew = null, int Width = 0, int Height = 0);

    /// <summary>
    /// The skew ImageMagick measured, in degrees, and whether the page was turned back; <paramref name="Width"/> and
    /// <paramref name="Height"/> are the straightened image's (the turn widens the canvas).
    /// </summary>
    public sealed record Skew(double Degrees, bool Applied, int Width = 0, int Height = 0);

    public sealed record Orientation(int Rotation, double? Confidence, bool Applied, string? Script);

    /// <summary>A page's text and its words with their boxes in the rendered page's 0-1 frame (Tesseract's TSV: #13).</summary>
    public sealed record Reading(string Text, double? Confidence, string Languages)
    {
        public IReadOnlyList<WordBox.Found> Words { get; init; } = [];
    }

    public async Task<Prepared> PrepareAsync(string pdfPath, int page, int dpi, string folder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var number = page.ToString(CultureInfo.InvariantCulture);
        // Without an output root pdftoppm writes the image to stdout: one file fewer to manage.
        var render = await tools.RunAsync(settings.PdftoppmPath,
            ["-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-f", number, "-l", number, pdfPath],
            settings.ImageLimits, cancellationToken);
        if (render.ExitCode != 0)
        {
            throw new PermanentExtractionException(PopplerErrors.Summarise("pdftoppm", render, settings.ToolMemoryBytes));
        }

        var image = Pgm.Parse(render.Stdout)
            ?? throw new PermanentExtractionException($"page {page} could not be rendered for OCR (pdftoppm gave no image)");
        var path = Path.Combine(folder, $"page-{number}.pgm");
        await File.WriteAllBytesAsync(path, image.ToBytes(), cancellationToken);
        var orientation = await DetectOrientationAsync(path, cancellationToken);
        if (orientation.Applied)
        {
            await File.WriteAllBytesAsync(path, image.RotateClockwise(orientation.Rotation).ToBytes(), cancellationToken);
        }
        var skew = settings.OcrDeskew ? await DeskewAsync(path, cancellationToken) : null;
        return new Prepared(page, path, dpi, orientation, skew, image.Width, image.Height);
    }

    /// <summary>
    /// Measures the page's skew with ImageMagick's -deskew and, from OcrDeskewMinDegrees on, replaces the image by
    /// the straightened one (white where the turn uncovers the canvas). convert runs as a ToolRunner child like the others.
    /// </summary>
    private async Task<Skew> DeskewAsync(string path, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var straightened = path + ".deskewed.pgm";
        var run = await tools.RunAsync(settings.ConvertPath,
            [path, "-background", "white", "-deskew", "40%", "-print", "%[deskew:angle] %w %h\n", "+repage", straightened],
            settings.ImageLimits, cancellationToken);
        try
        {
            var printed = Encoding.UTF8.GetString(run.Stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (run.ExitCode != 0 || printed.Length != 3 || !double.TryParse(printed[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var degrees) ||
                !int.TryParse(printed[1], CultureInfo.InvariantCulture, out var width) || !int.TryParse(printed[2], CultureInfo.InvariantCulture, out var height))
            {
                throw new PermanentExtractionException($"a scanned page could not be straightened (convert: {FirstLine(run.Stderr, run.ExitCode)})");
            }
            if (Math.Abs(degrees) < settings.OcrDeskewMinDegrees)
            {
                return new Skew(degrees, false);
            }
            File.Move(straightened, path, overwrite: true);
            return new Skew(degrees, true, width, height);
        }
        finally
        {
            File.Delete(straightened);
        }
    }

    /// <summary>Reads a prepared page in the given languages (eng+fra), with Tesseract's mean word confidence.</summary>
    public async Task<Reading> ReadAsync(Prepared page, string languages, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var output = Path.Combine(Path.GetDirectoryName(page.ImagePath)!, $"{Path.GetFileNameWithoutExtension(page.ImagePath)}-{languages}");
        var ocr = await tools.RunAsync(settings.TesseractPath,
            [.. OcrLanguages.DataDirectory(settings), page.ImagePath, output, "-l", languages, "txt", "tsv"], settings.Limits, cancellationToken);
        try
        {
            if (ocr.ExitCode != 0)
            {
                throw new PermanentExtractionException($"OCR of page {page.Page} failed (tesseract: {FirstLine(ocr.Stderr, ocr.ExitCode)})");
            }
            var text = await File.ReadAllTextAsync(output + ".txt", cancellationToken);
            var tsv = await File.ReadAllTextAsync(output + ".tsv", cancellationToken);
            return new Reading(text.Replace("\f", "", StringComparison.Ordinal).Trim(), MeanWordConfidence(tsv), languages)
            {
                Words = settings.WordBoxes ? OcrFrame.Words(tsv, page) : [],
            };
        }
        finally
        {
            File.Delete(output + ".txt");
            File.Delete(output + ".tsv");
        }
    }

    public OcrPage Describe(Prepared page, Reading reading, bool keptTextLayer = false) => new(
        page.Dpi, page.Orientation.Rotation, page.Orientation.Confidence, page.Orientation.Applied, page.Orientation.Script,
        reading.Languages, reading.Confidence, reading.Confidence is not { } c || c < options.Value.OcrLowConfidence, keptTextLayer,
        page.Skew?.Degrees, page.Skew?.Applied ?? false);

    /// <summary>
    /// The resolution to render a page at: the resolution its largest image was scanned at, so a small card scanned
    /// at 600 dpi keeps its pixels instead of shrinking to a few hundred (#14), between OcrMinDpi and OcrMaxDpi, and
    /// above OcrMinDpi only as far as the page fits OcrMaxPagePixels: small pages carry small type and get the
    /// resolution, while a full page costs no more than an A4 page at 200 dpi did.
    /// </summary>
    public static int ChooseDpi(TextExtractionOptions settings, double? imagePpi, (double Width, double Height)? pageSizePoints)
    {
        var dpi = Math.Clamp((int)Math.Round(imagePpi ?? 0), settings.OcrMinDpi, Math.Max(settings.OcrMinDpi, settings.OcrMaxDpi));
        if (pageSizePoints is var (width, height) && width > 0 && height > 0)
        {
            var squareInches = width / 72 * (height / 72);
            var fitting = (int)Math.Floor(Math.Sqrt(settings.OcrMaxPagePixels / squareInches));
            dpi = Math.Max(Math.Min(dpi, fitting), settings.OcrMinDpi);
        }
        return dpi;
    }

    /// <summary>
    /// Tesseract's OSD answer, turned into a decision: turn the page only when the orientation confidence is above
    /// OcrRotationMinConfidence (an upright page once got a low-confidence "Rotate: 180" and was read upside down:
    /// #14). A page with too little text for OSD is read as it is: OSD refusing is no reason to fail the document.
    /// </summary>
    private async Task<Orientation> DetectOrientationAsync(string path, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var osd = await tools.RunAsync(settings.TesseractPath, [.. OcrLanguages.DataDirectory(settings), path, "-", "--psm", "0"], settings.Limits, cancellationToken);
        var answer = Encoding.UTF8.GetString(osd.Stdout);
        var rotate = Rotate().Match(answer);
        var confidence = OrientationConfidence().Match(answer);
        var script = Script().Match(answer);
        if (osd.ExitCode != 0 || !rotate.Success)
        {
            return new Orientation(0, null, false, null);
        }
        var degrees = int.Parse(rotate.Groups[1].Value, CultureInfo.InvariantCulture);
        double? sure = confidence.Success ? double.Parse(confidence.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return new Orientation(degrees, sure, degrees != 0 && sure > settings.OcrRotationMinConfidence,
            script.Success ? script.Groups[1].Value : null);
    }

    // Tesseract's TSV: level 5 rows are words, conf -1 marks a non-word (a block, an empty box).
    private static double? MeanWordConfidence(string tsv)
    {
        var confidences = tsv.Split('\n').Skip(1)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 12 && f[0] == "5" && f[11].Trim().Length > 0)
            .Select(f => double.TryParse(f[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : -1)
            .Where(c => c >= 0)
            .ToList();
        return confidences.Count > 0 ? Math.Round(confidences.Average(), 1) : null;
    }

    private static string FirstLine(string stderr, int exitCode) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
        ?? $"exit code {exitCode}";

    [GeneratedRegex(@"^Rotate: (0|90|180|270)$", RegexOptions.Multiline)]
    private static partial Regex Rotate();

    [GeneratedRegex(@"^Orientation confidence: ([0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex OrientationConfidence();

    [GeneratedRegex(@"^Script: (\w+)$", RegexOptions.Multiline)]
    private static partial Regex Script();
}
