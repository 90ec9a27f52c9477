namespace DocExtract.Pipeline.TextExtraction;

/// <summary>Tesseract language codes ("eng+fra"), the scripts they are written in, and their Debian packages.</summary>
public static class OcrLanguages
{
    /// <summary>Tesseract's orientation and script detection data.</summary>
    public const string Orientation = "osd";

    // The script Tesseract's OSD names for each language's writing (its "Script:" line). A language missing here
    // is tried whatever the script.
    private static readonly Dictionary<string, string> _scripts = new(StringComparer.Ordinal)
    {
        ["eng"] = "Latin", ["deu"] = "Latin", ["fra"] = "Latin", ["ita"] = "Latin", ["spa"] = "Latin", ["nld"] = "Latin",
        ["por"] = "Latin", ["pol"] = "Latin", ["ces"] = "Latin", ["slk"] = "Latin", ["slv"] = "Latin", ["hrv"] = "Latin",
        ["hun"] = "Latin", ["ron"] = "Latin", ["fin"] = "Latin", ["swe"] = "Latin", ["dan"] = "Latin", ["nor"] = "Latin",
        ["est"] = "Latin", ["lav"] = "Latin", ["lit"] = "Latin", ["cat"] = "Latin", ["tur"] = "Latin",
        ["rus"] = "Cyrillic", ["ukr"] = "Cyrillic", ["bul"] = "Cyrillic", ["srp"] = "Cyrillic", ["mkd"] = "Cyrillic",
        ["ell"] = "Greek", ["chi_sim"] = "Han", ["chi_tra"] = "Han", ["jpn"] = "Japanese", ["kor"] = "Hangul",
        ["ara"] = "Arabic", ["fas"] = "Arabic", ["heb"] = "Hebrew",
    };

    public static IReadOnlyList<string> Split(string languages) =>
        languages.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The configured languages that can read a page of this script (all of them when it is unknown).</summary>
    public static IReadOnlyList<string> For(string? script, IReadOnlyList<string> configured) =>
        script is null ? configured : [.. configured.Where(l => !_scripts.TryGetValue(l, out var s) || s == script)];

    /// <summary>The Debian package of a traineddata: tesseract-ocr-fra, tesseract-ocr-chi-sim.</summary>
    public static string Package(string language) => $"tesseract-ocr-{language.Replace('_', '-').ToLowerInvariant()}";

    /// <summary>--tessdata-dir for every tesseract run when TextExtraction:TessdataPath is set.</summary>
    public static IEnumerable<string> DataDirectory(TextExtractionOptions settings) =>
        settings.TessdataPath is { } path ? ["--tessdata-dir", path] : [];

    /// <summary>
    /// The languages a document asked for, every one of them configured; null when it asked for none. Throws a
    /// permanent failure naming the configured languages otherwise.
    /// </summary>
    public static string? Requested(string? requested, TextExtractionOptions settings)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }
        var configured = Split(settings.OcrLanguages);
        var unknown = Split(requested).Where(l => !configured.Contains(l, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0 || Split(requested).Count == 0)
        {
            throw new PermanentExtractionException(
                $"the OCR language {string.Join("+", unknown)} is not installed; the installed ones are {string.Join(", ", configured)} " +
                "(TextExtraction:OcrLanguages)");
        }
        return string.Join('+', Split(requested));
    }
}
