namespace DocExtract.Contracts;

/// <summary>
/// The OCR languages the workers have installed, TextExtraction:OcrLanguages (joined with '+'): the worker reads
/// with them and refuses to start without their packs, the API checks an upload's `language` against them. One key
/// for both, so they cannot disagree (#14).
/// </summary>
public sealed class OcrLanguageOptions
{
    public const string Section = "TextExtraction";

    /// <summary>The main EU languages scripts/setup.sh and the worker image install.</summary>
    public const string Default = "eng+deu+fra+ita+spa+nld+por+pol";

    public string OcrLanguages { get; set; } = Default;

    public IReadOnlyList<string> Installed =>
        OcrLanguages.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The languages an upload names ("fra", "deu+eng"), normalised, or why they cannot be used. Null and null:
    /// none named (the worker then chooses from the scan).
    /// </summary>
    public (string? Languages, string? Problem) Check(string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return (null, null);
        }
        var named = given.Trim().ToLowerInvariant().Split('+', StringSplitOptions.TrimEntries);
        var unknown = named.Where(l => !Installed.Contains(l, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0
            ? (string.Join('+', named), null)
            : (null, $"the OCR language '{string.Join("+", unknown)}' is not installed: use one or more of {string.Join(", ", Installed)}, joined by '+'");
    }
}
