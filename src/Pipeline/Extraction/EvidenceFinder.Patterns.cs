using System.Text.RegularExpressions;

namespace DocExtract.Pipeline.Extraction;

public static partial class EvidenceFinder
{
    private static readonly Dictionary<string, int> _months = BuildMonths();

    private static readonly Regex _dayMonthYear = new(
        $@"(?<![\p{{L}}\d])(?<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?[\s\-/]*(?:of\s+)?(?<m>{MonthPattern()})\.?(?!\p{{L}})[\s,\-/]*(?<y>\d{{4}})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex _monthDayYear = new(
        $@"(?<!\p{{L}})(?<m>{MonthPattern()})\.?\s+(?<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(?<y>\d{{4}})(?!\d)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A number as printed: digit groups of three split by one kind of separator, then an optional decimal part.</summary>
    [GeneratedRegex(@"(?<![\d.,])(?:\d{1,3}(?:(?:[,.'\u00A0\u202F\u2009]| (?=\d{3}(?!\d)))\d{3})+|\d+)(?:[.,]\d+)?(?!\d)")]
    private static partial Regex PrintedNumber();

    [GeneratedRegex(@"^[-+]?\d[\d.,' ]*$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")]
    private static partial Regex IsoValue();

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})[-/.](?<m>\d{1,2})[-/.](?<d>\d{1,2})(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<![\d.])(?<a>\d{1,2})(?<s>[./-])(?<b>\d{1,2})\k<s>(?<y>\d{4}|\d{2})(?![\d])")]
    private static partial Regex NumericDate();

    /// <summary>Every date printed in the text, in any of the forms the class comment lists.</summary>
    public static IEnumerable<(DateOnly Date, int Start, int Length)> DatesIn(string text)
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

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);

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
        months.TryAdd("sept", 9);
        months.TryAdd("maerz", 3);
        months.TryAdd("mrz", 3);
        months.TryAdd("okt", 10);
        months.TryAdd("dez", 12);
        return months;
    }
}
