namespace DocExtract.Worker.TextExtraction;

public sealed class TextExtractionOptions
{
    public const string Section = "TextExtraction";

    public string PdftotextPath { get; set; } = "pdftotext";

    public string PdftoppmPath { get; set; } = "pdftoppm";

    public string PdfimagesPath { get; set; } = "pdfimages";

    public string TesseractPath { get; set; } = "tesseract";

    /// <summary>Tesseract languages, joined with '+' (eng+fra); each needs its tesseract-ocr-* package.</summary>
    public string OcrLanguages { get; set; } = "eng";

    /// <summary>Resolution pages are rendered at for OCR: 200 dpi reads body text as well as 300 at half the time.</summary>
    public int OcrDpi { get; set; } = 200;

    /// <summary>
    /// A page whose text layer has fewer non-whitespace characters than this, and that shows an image, has no usable
    /// text layer and is OCRed (a scan's layer is empty, or holds only a page number or a stamp).
    /// </summary>
    public int OcrMinTextChars { get; set; } = 16;

    /// <summary>Wall-clock limit of all tool runs of one document together (the text layer and every OCRed page).</summary>
    public TimeSpan DocumentTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Keep the physical layout (columns as on paper) instead of reading order.</summary>
    public bool PreserveLayout { get; set; }

    /// <summary>Documents with more pages fail at once.</summary>
    public int MaxPages { get; set; } = 500;

    /// <summary>Wall-clock limit of one tool run.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Address-space limit of one tool run.</summary>
    public long ToolMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest text a document may yield.</summary>
    public long MaxTextBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest image one page may render to for OCR.</summary>
    public long MaxPageImageBytes { get; set; } = 256L * 1024 * 1024;

    internal ToolLimits Limits => new(ToolTimeout, ToolMemoryBytes, MaxTextBytes);

    internal ToolLimits ImageLimits => new(ToolTimeout, ToolMemoryBytes, MaxPageImageBytes);
}
