using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Builds the invoice type's JSON from XML elements, remembering the XPath each value came from (#12): shared by the
/// CII and UBL readers. Elements are matched by local name; amounts are exact decimals as written, and one that is not
/// a number is a <see cref="FormatException"/> naming its path, never a guess.
/// </summary>
internal sealed partial class XmlMapping
{
    public Dictionary<string, string> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>Values left null because the type cannot hold them as written.</summary>
    public List<string> Notes { get; } = [];

    public void Put<T>(JsonObject target, string key, string pointer, T? source, Func<T, JsonNode?> convert)
        where T : XObject
    {
        var value = source is null ? null : convert(source);
        target[key] = value;
        if (value is not null)
        {
            Sources[pointer] = XmlPaths.Of(source!);
        }
    }

    /// <summary>Several elements' text joined into one value; its source is the XPath union of their paths.</summary>
    public void Joined(JsonObject target, string key, string pointer, IReadOnlyList<XElement> parts, string separator)
    {
        var used = parts.Where(p => Collapse(p.Value).Length > 0).ToList();
        target[key] = used.Count == 0 ? null : string.Join(separator, used.Select(p => Collapse(p.Value)));
        if (used.Count > 0)
        {
            Sources[pointer] = string.Join(" | ", used.Select(XmlPaths.Of));
        }
    }

    public void Text(JsonObject target, string key, string pointer, XElement? source) =>
        Put(target, key, pointer, source, e => Trim(e.Value) is { Length: > 0 } text ? text : null);

    public void Amount(JsonObject target, string key, string pointer, XElement? source) =>
        Put(target, key, pointer, source, e => JsonValue.Create(Decimal(e)));

    /// <summary>A CII date: format 102 (CCYYMMDD) is the one EN 16931 allows; a month (610) or week (616) is no date.</summary>
    public void Date102(JsonObject target, string key, string pointer, XElement? source) =>
        Put(target, key, pointer, source, e => ((string?)e.Attribute("format") ?? "102") == "102" ? Date(e, "yyyyMMdd", 8, "format 102 (CCYYMMDD)") : null);

    /// <summary>A UBL date: xs:date, YYYY-MM-DD with an optional time zone.</summary>
    public void DateIso(JsonObject target, string key, string pointer, XElement? source) =>
        Put(target, key, pointer, source, e => Date(e, "yyyy-MM-dd", 10, "YYYY-MM-DD"));

    // The type holds an IBAN and a BIC in their standard shapes only; demo files carry placeholders ("BIC_MONCOMPTE").
    public string? Iban(string pointer, XElement element) => Shaped(pointer, NoSpaces(element.Value), IbanShape(), "an IBAN (15 to 34 letters and digits)");

    public string? Bic(string pointer, XElement element) => Shaped(pointer, NoSpaces(element.Value), BicShape(), "a BIC (8 or 11 letters and digits)");

    private string? Shaped(string pointer, string? value, Regex shape, string what)
    {
        if (value is null || shape.IsMatch(value))
        {
            return value;
        }
        Notes.Add($"{pointer} left null: '{Shorten(value)}' is not {what}");
        return null;
    }

    private static string Date(XElement element, string format, int length, string what)
    {
        var text = Trim(element.Value);
        return text.Length >= length &&
               DateOnly.TryParseExact(text[..length], format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
               (text.Length == length || format != "yyyyMMdd")
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new FormatException($"{XmlPaths.Of(element)} is '{Shorten(text)}', not a date in {what}");
    }

    private static decimal Decimal(XElement element)
    {
        var text = Trim(element.Value);
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{XmlPaths.Of(element)} is '{Shorten(text)}', not a number");
    }

    public static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    public static string Trim(string? text) => text?.Trim() ?? "";

    public static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    public static string? NoSpaces(string text) => Whitespace().Replace(text, "") is { Length: > 0 } plain ? plain : null;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{11,30}$")]
    private static partial Regex IbanShape();

    [GeneratedRegex("^[A-Za-z0-9]{8}(?:[A-Za-z0-9]{3})?$")]
    private static partial Regex BicShape();
}
