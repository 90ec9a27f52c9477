namespace DocExtract.Persistence.Results;

/// <summary>One page's text, where it came from, and for an OCRed page how it was read (#14).</summary>
public sealed record PageText(int Number, string Text, string Source, OcrPage? Ocr = null)
{
    /// <summary>The page's words placed in <see cref="Text"/> with their boxes (#13); null where TextExtraction:WordBoxes is off.</summary>
    public IReadOnlyList<WordBox>? Words { get; init; }
}

/// <summary>How one page was OCRed (#14): the resolution, the turn and whether it was applied, the languages and
/// Tesseract's mean word confidence (0-100), and whether the page kept its own text layer because OCR read worse.</summary>
public sealed record OcrPage(
    int Dpi,
    int Rotation,
    double? RotationConfidence,
    bool Rotated,
    string? Script,
    string Languages,
    double? Confidence,
    bool LowConfidence,
    bool KeptTextLayer = false,
    double? Skew = null,
    bool Deskewed = false);

/// <summary>A run of pages extracted in one prompt, with the prompt's and the answers' token counts.</summary>
public sealed record PageWindow(int[] Pages, int PromptTokens, int GeneratedTokens);
