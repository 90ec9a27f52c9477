using System.Text.RegularExpressions;

namespace DocExtract.Pipeline.Extraction;

public static partial class EvidenceFinder
{
    /// <summary>A number as printed: digit groups of three split by one kind of separator, then an optional decimal part.</summary>
    [GeneratedRegex(@"(?<![\d.,])(?:\d{1,3}(?:(?:[,.'\u00A0\u202F\u2009]| (?=\d{3}(?!\d)))\d{3})+|\d+)(?:[.,]\d+)?(?!\d)")]
    private static partial Regex PrintedNumber();

    [GeneratedRegex(@"^[-+]?\d[\d.,' ]*$")]
    private static partial Regex PlainNumber();
}
