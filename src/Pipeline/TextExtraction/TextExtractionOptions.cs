using System.ComponentModel.DataAnnotations;
using DocExtract.Operations.Settings;

namespace DocExtract.Pipeline.TextExtraction;

public sealed class TextExtractionOptions
{
    public const string Section = "TextExtraction";

    public string PdftotextPath { get; set; } = "pdftotext";

    public string PdftoppmPath { get; set; } = "pdftoppm";

    public string PdfimagesPath { get; set; } = "pdfimages";

    public string PdfinfoPath { get; set; } = "pdfinfo";

    public string TesseractPath { get; set; } = "tesseract";

    /// <summary>
    /// The Tesseract languages the worker reads, joined with '+': the packs scripts/setup.sh installs (#14). An
    /// upload may name some of them (its `language` field); an unlabelled scan gets the one of these that reads its
    /// first page best. Each needs its tesseract-ocr-* package: the worker refuses to start without one.
    /// </summary>
    public string OcrLanguages { get; set; } = DocExtract.Contracts.OcrLanguageOptions.Default;

    /// <summary>Where Tesseract's traineddata lie; null: Tesseract's own default (the Debian packages').</summary>
    public string? TessdataPath { get; set; }

    /// <summary>poppler-data's folder: the start-up check looks for its CJK character maps there.</summary>
    public string PopplerDataPath { get; set; } = "/usr/share/poppler";

    /// <summary>Lowest resolution a page is rendered at for OCR: 200 dpi reads body text as well as 300 at half the time.</summary>
    [Range(1, int.MaxValue)]
    public int OcrMinDpi { get; set; } = 200;

    /// <summary>Highest: a small card scanned at high resolution is rendered at its own resolution up to this.</summary>
    [Range(1, int.MaxValue)]
    public int OcrMaxDpi { get; set; } = 600;

    /// <summary>
    /// Most pixels a page is rendered to above OcrMinDpi: about an A4 page at 200 dpi, so OCR time (which grows with
    /// pixels) stays what it was for full pages while a small card gets up to OcrMaxDpi.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long OcrMaxPagePixels { get; set; } = 4_000_000;

    /// <summary>
    /// Tesseract's orientation confidence above which a page is turned; below it the page is read as it is. Pages
    /// truly turned scored 2.39-2.87 on the corpus scans, an upright page's false "Rotate: 180" lower (docs/llm.md).
    /// </summary>
    public double OcrRotationMinConfidence { get; set; } = 2.0;

    /// <summary>
    /// Straighten a skewed scan before reading it (#14): Tesseract reads a page turned 2 degrees whole but splits
    /// lines into columns at 3. ImageMagick's -deskew measures the angle and turns the page back.
    /// </summary>
    public bool OcrDeskew { get; set; } = true;

    /// <summary>Below this many degrees a page is read as rendered: turning it back would only blur it.</summary>
    [Range(0.0, double.MaxValue)]
    public double OcrDeskewMinDegrees { get; set; } = 0.5;

    /// <summary>ImageMagick's convert (the Debian package imagemagick), by full path: /usr/local/bin may shadow it.</summary>
    public string ConvertPath { get; set; } = "/usr/bin/convert";

    /// <summary>Pages of one document OCRed at once (each Tesseract run uses one thread).</summary>
    [Range(1, int.MaxValue)]
    public int OcrParallelPages { get; set; } = Math.Min(Environment.ProcessorCount, 2);

    /// <summary>Documents with more pages to OCR fail before any is OCRed, rather than hold a worker for DocumentTimeout.</summary>
    [Range(0, int.MaxValue)]
    public int OcrMaxPages { get; set; } = 100;

    /// <summary>A page whose OCR mean word confidence (0-100) is below this is reported as low confidence.</summary>
    [Range(0.0, 100.0)]
    public double OcrLowConfidence { get; set; } = 60;

    /// <summary>
    /// A page whose text layer has fewer non-whitespace characters than this, and that shows an image, has no usable
    /// text layer and is OCRed (a scan's layer is empty, or holds only a page number or a stamp).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int OcrMinTextChars { get; set; } = 16;

    /// <summary>Wall-clock limit of all tool runs of one document together (the text layer and every OCRed page).</summary>
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan DocumentTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Store every page's words with their boxes (pages[].words) and box each value's evidence (#13): one more pdftotext
    /// run (-bbox-layout) for the text layer; OCRed pages take them from the TSV Tesseract already writes.
    /// </summary>
    public bool WordBoxes { get; set; } = true;

    /// <summary>Keep the physical layout (columns as on paper) instead of reading order.</summary>
    public bool PreserveLayout { get; set; }

    /// <summary>Documents with more pages fail at once.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPages { get; set; } = 500;

    /// <summary>Wall-clock limit of one tool run.</summary>
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Address-space limit of one tool run.</summary>
    [Range(1, long.MaxValue)]
    public long ToolMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest text a document may yield.</summary>
    [Range(1, long.MaxValue)]
    public long MaxTextBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest image one page may render to for OCR.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPageImageBytes { get; set; } = 256L * 1024 * 1024;

    internal ToolLimits Limits => new(ToolTimeout, ToolMemoryBytes, MaxTextBytes);

    internal ToolLimits ImageLimits => new(ToolTimeout, ToolMemoryBytes, MaxPageImageBytes);
}
