using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocExtract.Operations.Evaluations;

/// <summary>
/// Whether the model's value is the reviewed one (#13, "corrections as labels"): exactly (the same JSON value), or once
/// both are normalised the way a bookkeeper reads them. Numbers are compared numerically, also when written as text
/// with thousand separators (<c>"1.234,56"</c> is 1234.56); dates as dates (<c>"02/03/2026"</c>, <c>"2 March 2026"</c>
/// and <c>"2026-03-02"</c> are one day); other text ignoring case, spacing, Unicode compatibility forms and typographic
/// quotes and dashes. The rules follow the evidence finder's (docs/document-types.md, "Trust signals") so that "found in the document"
/// and "right" mean the same reading of a value.
/// </summary>
public static partial class ValueMatch
{
    /// <summary>Null, or a string of nothing but whitespace: the value is not stated.</summary>
    public static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()),
        _ => false,
    };

    /// <summary>The same JSON value: strings character for character, numbers by value (631.2 is 631.20).</summary>
    public static bool Exact(JsonElement model, JsonElement truth) => JsonElement.DeepEquals(model, truth);

    /// <summary>The same value as read by a person; objects and arrays compare item by item, each normalised.</summary>
    public static bool Normalised(JsonElement model, JsonElement truth)
    {
        if (IsEmpty(model) || IsEmpty(truth))
        {
            return IsEmpty(model) && IsEmpty(truth);
        }
        if (model.ValueKind == JsonValueKind.Object && truth.ValueKind == JsonValueKind.Object)
        {
            var names = model.EnumerateObject().Where(p => !IsEmpty(p.Value)).Select(p => p.Name)
                .Union(truth.EnumerateObject().Where(p => !IsEmpty(p.Value)).Select(p => p.Name));
            return names.All(name => Normalised(Property(model, name), Property(truth, name)));
        }
        if (model.ValueKind == JsonValueKind.Array && truth.ValueKind == JsonValueKind.Array)
        {
            return model.GetArrayLength() == truth.GetArrayLength()
                && model.EnumerateArray().Zip(truth.EnumerateArray()).All(pair => Normalised(pair.First, pair.Second));
        }
        if (model.ValueKind is JsonValueKind.Object or JsonValueKind.Array || truth.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            return false;
        }

        if (Dates(model) is { Count: > 0 } modelDates && Dates(truth) is { Count: > 0 } truthDates)
        {
            return modelDates.Overlaps(truthDates);
        }
        if (Numbers(model) is { Count: > 0 } modelNumbers && Numbers(truth) is { Count: > 0 } truthNumbers)
        {
            return modelNumbers.Overlaps(truthNumbers);
        }
        return Text(model) == Text(truth);
    }

    private static JsonElement Property(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) ? property : default;

    /// <summary>The numbers a value can be read as: none, one, or two where a lone separator is ambiguous ("1,234").</summary>
    public static HashSet<decimal> Numbers(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDecimal(out var number) ? [number] : [(decimal)Math.Clamp(value.GetDouble(), -7.9e27, 7.9e27)];
        }
        return value.ValueKind == JsonValueKind.String ? Numbers(value.GetString()!) : [];
    }

    public static HashSet<decimal> Numbers(string text)
    {
        var readings = new HashSet<decimal>();
        var match = Amount().Match(text.Normalize(NormalizationForm.FormKC).Trim());
        if (!match.Success)
        {
            return readings;
        }
        var negative = match.Groups["minus"].Success || match.Groups["open"].Success;
        var digits = match.Groups["digits"].Value;
        if (Plain().Match(digits) is { Success: true } plain)
        {
            // One separator or none: a decimal point or comma, unless it stands before exactly three digits, where
            // "1,234" may as well be a thousand separator: both readings count.
            readings.Add(Parse(plain.Groups["whole"].Value, plain.Groups["fraction"].Value));
            if (plain.Groups["fraction"].Length == 3 && plain.Groups["whole"].Length <= 3)
            {
                readings.Add(Parse(plain.Groups["whole"].Value + plain.Groups["fraction"].Value, ""));
            }
        }
        else if (Grouped().Match(digits) is { Success: true } grouped && grouped.Groups["point"].Value != grouped.Groups["group"].Value)
        {
            var whole = new string([.. grouped.Groups["whole"].Value.Where(char.IsAsciiDigit)]);
            readings.Add(Parse(whole, grouped.Groups["fraction"].Value));
        }
        return negative ? [.. readings.Select(n => -n)] : readings;
    }

    private static decimal Parse(string whole, string fraction) =>
        decimal.Parse(fraction.Length == 0 ? whole : $"{whole}.{fraction}", NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>
    /// The days a value can be read as: an ISO date (or a date-time's date), a numeric date read day first unless that
    /// is impossible (<c>02/03/2026</c> is 2 March, <c>03/25/2026</c> 25 March), or a written date in English, German,
    /// French or Dutch (<c>2 March 2026</c>, <c>March 2, 2026</c>, <c>2. März 2026</c>, <c>1er juillet 2026</c>).
    /// </summary>
    public static HashSet<DateOnly> Dates(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Dates(value.GetString()!) : [];

    public static HashSet<DateOnly> Dates(string text)
    {
        text = text.Normalize(NormalizationForm.FormKC).Trim();
        if (Iso().Match(text) is { Success: true } iso)
        {
            return Day(Int(iso, "y"), Int(iso, "m"), Int(iso, "d")) is { } day ? [day] : [];
        }
        if (Numeric().Match(text) is { Success: true } numeric)
        {
            var year = Int(numeric, "y");
            year = numeric.Groups["y"].Length == 2 ? (year < 70 ? 2000 + year : 1900 + year) : year;
            return (Day(year, Int(numeric, "b"), Int(numeric, "a")) ?? Day(year, Int(numeric, "a"), Int(numeric, "b"))) is { } day ? [day] : [];
        }
        var written = Ordinal().Replace(text, "$1").Replace(" of ", " ", StringComparison.OrdinalIgnoreCase);
        written = Spaces().Replace(written.Replace(',', ' ').Replace(". ", " ", StringComparison.Ordinal), " ").Trim();
        foreach (var culture in _writtenDateCultures)
        {
            if (DateTime.TryParseExact(written, _writtenDateFormats, culture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
            {
                return [DateOnly.FromDateTime(parsed)];
            }
        }
        return [];
    }

    private static readonly CultureInfo[] _writtenDateCultures =
        [.. new[] { "en-GB", "de-DE", "fr-FR", "nl-NL" }.Select(CultureInfo.GetCultureInfo)];

    private static readonly string[] _writtenDateFormats = ["d MMMM yyyy", "d MMM yyyy", "MMMM d yyyy", "MMM d yyyy"];

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static DateOnly? Day(int year, int month, int day) =>
        month is >= 1 and <= 12 && year is >= 1 and <= 9999 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    /// <summary>Text as a person reads it: compatibility forms folded, plain quotes and dashes, lower case, single spaces.</summary>
    public static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Text(value.GetString()!) : value.GetRawText();

    public static string Text(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            folded.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                _ => char.ToLowerInvariant(c),
            });
        }
        return Spaces().Replace(folded.ToString(), " ").Trim();
    }

    // A sign or accounting parentheses, a currency symbol or code on either side, and the digits with their separators.
    [GeneratedRegex(@"^(?:(?<minus>-)|\+|(?<open>\())?\s*(?:[€$£¥]|EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK)?\s*(?<minus>-)?\s*(?<digits>\d[\d.,' \u00A0\u202F\u2019]*\d|\d)\s*(?:[€$£¥]|EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK)?\s*(?(open)\))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Amount();

    [GeneratedRegex(@"^(?<whole>\d+)(?:[.,](?<fraction>\d+))?$")]
    private static partial Regex Plain();

    [GeneratedRegex(@"^(?<whole>\d{1,3}(?:(?<group>[.,' \u00A0\u202F\u2019])\d{3})(?:\k<group>\d{3})*)(?:(?<point>[.,])(?<fraction>\d+))?$")]
    private static partial Regex Grouped();

    [GeneratedRegex(@"^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:[T ].*)?$")]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?<a>\d{1,2})[./-](?<b>\d{1,2})[./-](?<y>\d{4}|\d{2})$")]
    private static partial Regex Numeric();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th|er|e)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
