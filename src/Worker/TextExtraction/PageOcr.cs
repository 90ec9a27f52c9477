using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.TextExtraction;

/// <summary>
/// The text of one page without a usable text layer (issue #4): pdftoppm renders that page alone to a grey PGM,
/// Tesseract's orientation detection (--psm 0) says how far it is turned, the image is turned upright here (PGM is
/// a bare byte grid, so no image library is needed), and Tesseract reads it. Every step is a ToolRunner child
/// under the same time, memory and network limits as pdftotext.
/// </summary>
public sealed partial class PageOcr(ToolRunner tools, IOptions<TextExtractionOptions> options)
{
    public const string Source = "ocr";

    public async Task<PageText> ReadAsync(string pdfPath, int page, string folder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var number = page.ToString(CultureInfo.InvariantCulture);
        // Without an output root pdftoppm writes the image to stdout: one file fewer to manage.
        var render = await tools.RunAsync(settings.PdftoppmPath,
            ["-r", settings.OcrDpi.ToString(CultureInfo.InvariantCulture), "-gray", "-f", number, "-l", number, pdfPath],
            settings.ImageLimits, cancellationToken);
        if (render.ExitCode != 0)
        {
            throw new PermanentExtractionException(PopplerErrors.Summarise("pdftoppm", render));
        }

        var image = Pgm.Parse(render.Stdout)
            ?? throw new PermanentExtractionException($"page {page} could not be rendered for OCR (pdftoppm gave no image)");
        var path = Path.Combine(folder, $"page-{number}.pgm");
        await File.WriteAllBytesAsync(path, image.ToBytes(), cancellationToken);
        try
        {
            var rotation = await DetectRotationAsync(path, cancellationToken);
            if (rotation != 0)
            {
                await File.WriteAllBytesAsync(path, image.RotateClockwise(rotation).ToBytes(), cancellationToken);
            }
            var ocr = await tools.RunAsync(settings.TesseractPath, [path, "-", "-l", settings.OcrLanguages], settings.Limits, cancellationToken);
            if (ocr.ExitCode != 0)
            {
                throw new PermanentExtractionException($"OCR of page {page} failed (tesseract: {FirstLine(ocr.Stderr, ocr.ExitCode)})");
            }
            return new PageText(page, Encoding.UTF8.GetString(ocr.Stdout).Replace("\f", "", StringComparison.Ordinal).Trim(), Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Degrees to turn the page clockwise, from Tesseract's OSD. A page with too little text for OSD is read as it
    /// is: OSD refusing is no reason to fail the document.
    /// </summary>
    private async Task<int> DetectRotationAsync(string path, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var osd = await tools.RunAsync(settings.TesseractPath, [path, "-", "--psm", "0"], settings.Limits, cancellationToken);
        var match = Rotate().Match(Encoding.UTF8.GetString(osd.Stdout));
        return osd.ExitCode == 0 && match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static string FirstLine(string stderr, int exitCode) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
        ?? $"exit code {exitCode}";

    [GeneratedRegex(@"^Rotate: (90|180|270)$", RegexOptions.Multiline)]
    private static partial Regex Rotate();
}
