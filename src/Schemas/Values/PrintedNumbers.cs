using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Values;

/// <summary>
/// How a number printed on a document is read (#16): the one reading the evidence finder (is the value in the text?)
/// and the evaluation (is the model's value the reviewed one?) share, so that "found" and "right" agree.
/// "1.234,56", "1,234.56", "1 234,56", "1'234.56" and "1234.56" are all 1234.56; a lone separator before exactly three
/// digits ("1,234") is ambiguous and reads as both 1234 and 1.234.
/// </summary>
public static partial class PrintedNumbers
{
    /// <summary>Every value a printed number (digits and separators, no sign) can mean: one, or two when a lone separator before three digits could be either kind.</summary>
    public static IReadOnlyList<decimal> Readings(string printed)
    {
        var digits = new StringBuilder(printed.Length);
        foreach (var c in printed)
        {
            // Spaces and apostrophes only ever group thousands.
            if (c is not (' ' or '\'' or '\u2019' or '\u00A0' or '\u202F' or '\u2009'))
            {
                digits.Append(c);
            }
        }
        var s = digits.ToString();
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        var grouped = s.Length != printed.Length;
        if (lastDot >= 0 && lastComma >= 0)
        {
            // Both kinds: the later one is the decimal separator ("1.234,56", "1,234.56").
            var (thousands, point) = lastDot > lastComma ? (',', '.') : ('.', ',');
            return Parsed(s.Replace(thousands.ToString(), "", StringComparison.Ordinal).Replace(point, '.'));
        }
        var separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : '\0';
        if (separator == '\0')
        {
            return Parsed(s);
        }
        var count = s.Count(c => c == separator);
        if (count > 1)
        {
            return Parsed(s.Replace(separator.ToString(), "", StringComparison.Ordinal));
        }
        var asDecimal = s.Replace(separator, '.');
        var after = s.Length - s.IndexOf(separator) - 1;
        if (after == 3 && !grouped && s.IndexOf(separator) <= 3)
        {
            return [.. Parsed(asDecimal), .. Parsed(s.Replace(separator.ToString(), "", StringComparison.Ordinal))];
        }
        return Parsed(asDecimal);
    }

    /// <summary>
    /// The values a whole value written as text can mean, signed: an amount with an optional sign or accounting
    /// parentheses and a currency symbol or code on either side ("EUR 1'234.56", "(50.00)"), its digits grouped
    /// consistently (one group separator, a different decimal one). None when the text is not such an amount.
    /// </summary>
    public static IReadOnlyList<decimal> ReadingsOfValue(string text)
    {
        var match = Amount().Match(text.Normalize(NormalizationForm.FormKC).Trim());
        if (!match.Success)
        {
            return [];
        }
        var digits = match.Groups["digits"].Value;
        var wellFormed = Plain().IsMatch(digits)
            || (Grouped().Match(digits) is { Success: true } grouped && grouped.Groups["point"].Value != grouped.Groups["group"].Value);
        if (!wellFormed)
        {
            return [];
        }
        var readings = Readings(digits);
        return match.Groups["minus"].Success || match.Groups["open"].Success ? [.. readings.Select(n => -n)] : readings;
    }

    private static decimal[] Parsed(string plain) =>
        decimal.TryParse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? [value] : [];

    // A sign or accounting parentheses, a currency symbol or code on either side, and the digits with their separators.
    [GeneratedRegex(@"^(?:(?<minus>-)|\+|(?<open>\())?\s*(?:[€$£¥]|EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK)?\s*(?<minus>-)?\s*(?<digits>\d[\d.,' \u00A0\u202F\u2019]*\d|\d)\s*(?:[€$£¥]|EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK)?\s*(?(open)\))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Amount();

    // One separator or none.
    [GeneratedRegex(@"^\d+(?:[.,]\d+)?$")]
    private static partial Regex Plain();

    // Groups of three after one to three digits, all split by the same separator, then optionally a decimal part.
    [GeneratedRegex(@"^\d{1,3}(?:(?<group>[.,' \u00A0\u202F\u2019])\d{3})(?:\k<group>\d{3})*(?:(?<point>[.,])\d+)?$")]
    private static partial Regex Grouped();
}
