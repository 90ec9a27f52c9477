using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas.Values;

namespace DocExtract.Pipeline.Extraction;

/// <summary>
/// Finds where an extracted value is printed in the document's text (#6), so a person can check it and a value the
/// model invented stands out (no evidence: <c>unsupported</c>). Pure code over the pages' text.
/// <list type="bullet">
/// <item>Strings match case-insensitively and ignoring whitespace (pdftotext's layout adds and drops spaces), after
/// Unicode compatibility folding (ligatures, non-breaking spaces) and with typographic quotes and dashes read as plain
/// ones; a match may not start or end inside a word ("Acme" is not found in "Acmeco").</item>
/// <item>Numbers, and strings that are numbers, match any number printed with the same value: "1.234,56", "1,234.56",
/// "1 234,56", "1'234.56" and "1234.56" are all 1234.56. A lone separator followed by exactly three digits
/// ("1,234") is ambiguous and matches both 1234 and 1.234. The sign is ignored (statements print debits as
/// "(50.00)" or "50.00-").</item>
/// <item>Dates (strings in ISO form, YYYY-MM-DD, or a date-time's date) match ISO dates, written dates in English,
/// German, French and Dutch ("2 March 2026", "March 2, 2026", "2nd of Mar 2026", "2. März 2026") and numeric dates.
/// Numeric dates are read day first ("02/03/2026" is 2 March, as in Europe) unless the day-first reading is
/// impossible ("03/25/2026" can only be 25 March, the US order); two-digit years are 20YY below 70, else 19YY.</item>
/// </list>
/// Numbers and dates are read by <see cref="PrintedNumbers"/> and <see cref="PrintedDates"/>, as the evaluation reads them.
/// </summary>
public static partial class EvidenceFinder
{
    /// <summary>The span [start, end) of a page's text, boxed by the page's words (#13).</summary>
    public static Evidence On(PageText page, int start, int end) =>
        new(page.Number, start, end, page.Text[start..end]) { Boxes = WordPlacer.Enclose(page, start, end) };

    /// <summary>Whether a value is one that should be found in the text: a number or a non-blank string (null and booleans are not printed as such).</summary>
    public static bool NeedsEvidence(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.String => !string.IsNullOrWhiteSpace(Text(value)),
        _ => false,
    };

    /// <summary>The first place the value occurs, or null when it occurs nowhere (or is not a value that is printed).</summary>
    public static Evidence? Find(JsonElement value, IReadOnlyList<PageText> pages)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetDecimal(out var number) ? FindNumber(number, pages) : null;
            case JsonValueKind.String:
                var text = Text(value);
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }
                if (PrintedDates.ReadIso(text) is { } date && FindDate(date, pages) is { } dated)
                {
                    return dated;
                }
                return FindText(text, pages) ?? (TryParseNumber(text, out var asNumber) ? FindNumber(asNumber, pages) : null);
            default:
                return null;
        }
    }

    // A model may write escapes JSON allows but .NET strings reject (a lone "\\ud800"): read those as written.
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText()[1..^1];
        }
    }

    public static Evidence? FindText(string value, IReadOnlyList<PageText> pages)
    {
        var needle = Fold(value);
        if (needle.Text.Length == 0)
        {
            return null;
        }
        foreach (var page in pages)
        {
            var haystack = Fold(page.Text);
            for (var at = haystack.Text.IndexOf(needle.Text, StringComparison.Ordinal); at >= 0;
                 at = haystack.Text.IndexOf(needle.Text, at + 1, StringComparison.Ordinal))
            {
                var start = haystack.Origin[at];
                var end = haystack.Origin[at + needle.Text.Length - 1] + 1;
                if (!CutsAWord(page.Text, start, end))
                {
                    return On(page, start, end);
                }
            }
        }
        return null;
    }

    public static Evidence? FindNumber(decimal value, IReadOnlyList<PageText> pages)
    {
        var wanted = Math.Abs(value);
        foreach (var page in pages)
        {
            foreach (var match in PrintedNumber().EnumerateMatches(page.Text))
            {
                if (ReadingsOf(page.Text.Substring(match.Index, match.Length)).Contains(wanted))
                {
                    return On(page, match.Index, match.Index + match.Length);
                }
            }
        }
        return null;
    }

    public static Evidence? FindDate(DateOnly value, IReadOnlyList<PageText> pages)
    {
        foreach (var page in pages)
        {
            if (PrintedDates.In(page.Text).FirstOrDefault(d => d.Date == value) is { Length: > 0 } found)
            {
                return On(page, found.Start, found.Start + found.Length);
            }
        }
        return null;
    }

    /// <summary>Every number printed on the pages, in page order, with the values it can mean (see <see cref="ReadingsOf"/>).</summary>
    public static IEnumerable<(int Page, int Start, string Printed, IReadOnlyList<decimal> Readings)> NumbersIn(IReadOnlyList<PageText> pages)
    {
        foreach (var page in pages)
        {
            foreach (Match match in PrintedNumber().Matches(page.Text))
            {
                yield return (page.Number, match.Index, match.Value, ReadingsOf(match.Value));
            }
        }
    }

    /// <summary>Every value a printed number can mean (see <see cref="PrintedNumbers.Readings"/>).</summary>
    public static IReadOnlyList<decimal> ReadingsOf(string printed) => PrintedNumbers.Readings(printed);

    private static bool TryParseNumber(string text, out decimal value)
    {
        var trimmed = text.Trim();
        value = 0;
        if (!PlainNumber().IsMatch(trimmed))
        {
            return false;
        }
        var readings = ReadingsOf(trimmed.TrimStart('-', '+'));
        if (readings.Count == 0)
        {
            return false;
        }
        value = readings[0];
        return true;
    }

    private static bool CutsAWord(string text, int start, int end) =>
        (char.IsLetterOrDigit(text[start]) && start > 0 && char.IsLetterOrDigit(text[start - 1])) ||
        (char.IsLetterOrDigit(text[end - 1]) && end < text.Length && char.IsLetterOrDigit(text[end]));

    /// <summary>The text with whitespace dropped, case and compatibility forms folded; Origin maps each kept character back.</summary>
    private static (string Text, int[] Origin) Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }
            var piece = char.IsSurrogate(c) ? c.ToString() : FoldChar(c);
            foreach (var p in piece)
            {
                if (!char.IsWhiteSpace(p))
                {
                    folded.Append(char.ToLowerInvariant(p));
                    origin.Add(i);
                }
            }
        }
        return (folded.ToString(), [.. origin]);
    }

    private static string FoldChar(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u2032' => "'",
        '\u201C' or '\u201D' or '\u201E' or '\u2033' => "\"",
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => "-",
        _ when c < 128 => c.ToString(),
        _ => c.ToString().Normalize(NormalizationForm.FormKC),
    };
}
