using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Values;

/// <summary>
/// How a date printed on a document is read (#16): the one reading the evidence finder and the evaluation share.
/// ISO dates (<c>2026-03-02</c>, also with <c>/</c> or <c>.</c>); numeric dates read day first, as in Europe
/// (<c>02/03/2026</c> is 2 March), unless that is impossible (<c>03/25/2026</c> can only be 25 March, the US order),
/// two-digit years being 20YY below 70, else 19YY; and written dates in English, German, French and Dutch
/// (<c>2 March 2026</c>, <c>March 2, 2026</c>, <c>2nd of Mar 2026</c>, <c>2. März 2026</c>, <c>1er juillet 2026</c>).
/// </summary>
public static partial class PrintedDates
{
    private static readonly Dictionary<string, int> _months = BuildMonths();

    private static readonly Regex _dayMonthYear = new(
        $@"(?<![\p{{L}}\d])(?<d>\d{{1,2}})(?:st|nd|rd|th|er|e)?\.?[\s\-/]*(?:of\s+)?(?<m>{MonthPattern()})\.?(?!\p{{L}})[\s,\-/]*(?<y>\d{{4}})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex _monthDayYear = new(
        $@"(?<!\p{{L}})(?<m>{MonthPattern()})\.?\s+(?<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?<y>\d{{4}})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Every date printed in the text, with where it stands, in any of the forms the class comment lists.</summary>
    public static IEnumerable<(DateOnly Date, int Start, int Length)> In(string text)
    {
        foreach (Match m in IsoDate().Matches(text))
        {
            if (Date(Int(m, "y"), Int(m, "m"), Int(m, "d")) is { } date)
            {
                yield return (date, m.Index, m.Length);
            }
        }
        foreach (Match m in NumericDate().Matches(text))
        {
            var (a, b) = (Int(m, "a"), Int(m, "b"));
            var year = Int(m, "y");
            if (m.Groups["y"].Length == 2)
            {
                year += year < 70 ? 2000 : 1900;
            }
            // Day first, the European order; month first only where day first is impossible.
            if ((b <= 12 ? Date(year, b, a) : Date(year, a, b)) is { } date)
            {
                yield return (date, m.Index, m.Length);
            }
        }
        foreach (var pattern in new[] { _dayMonthYear, _monthDayYear })
        {
            foreach (Match m in pattern.Matches(text))
            {
                if (_months.TryGetValue(m.Groups["m"].Value.ToLowerInvariant(), out var month) &&
                    Date(Int(m, "y"), month, Int(m, "d")) is { } date)
                {
                    yield return (date, m.Index, m.Length);
                }
            }
        }
    }

    /// <summary>The day of a value in ISO form, <c>YYYY-MM-DD</c> or a date-time's date; null for anything else.</summary>
    public static DateOnly? ReadIso(string value) =>
        IsoValue().Match(value.Trim()) is { Success: true } iso ? Date(Int(iso, "y"), Int(iso, "m"), Int(iso, "d")) : null;

    /// <summary>The day of a whole value that is a date in any of the forms the class comment lists; null for anything else.</summary>
    public static DateOnly? ReadValue(string value)
    {
        var text = value.Normalize(NormalizationForm.FormKC).Trim();
        if (ReadIso(text) is { } iso)
        {
            return iso;
        }
        foreach (var (date, start, length) in In(text))
        {
            if (start == 0 && length == text.Length)
            {
                return date;
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:[T ].*)?$")]
    private static partial Regex IsoValue();

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})[-/.](?<m>\d{1,2})[-/.](?<d>\d{1,2})(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<![\d.])(?<a>\d{1,2})(?<s>[./-])(?<b>\d{1,2})\k<s>(?<y>\d{4}|\d{2})(?![\d])")]
    private static partial Regex NumericDate();

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, provider: CultureInfo.InvariantCulture);

    private static DateOnly? Date(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static string MonthPattern() =>
        string.Join('|', BuildMonths().Keys.OrderByDescending(k => k.Length).Select(Regex.Escape));

    private static Dictionary<string, int> BuildMonths()
    {
        string[][] names =
        [
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"],
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
            ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        ];
        var months = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var language in names)
        {
            for (var i = 0; i < 12; i++)
            {
                months.TryAdd(language[i], i + 1);
            }
        }
        string[] abbreviations = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        for (var i = 0; i < 12; i++)
        {
            months.TryAdd(abbreviations[i], i + 1);
        }
        // The other languages' abbreviations where they differ from English's.
        (string Name, int Month)[] others = [("sept", 9), ("mär", 3), ("maerz", 3), ("mrz", 3), ("okt", 10), ("dez", 12), ("mrt", 3)];
        foreach (var (name, month) in others)
        {
            months.TryAdd(name, month);
        }
        return months;
    }
}
