using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocExtract.Schemas.Values;

namespace DocExtract.Operations.Evaluations;

/// <summary>
/// Whether the model's value is the reviewed one (#13, "corrections as labels"): exactly (the same JSON value), or once
/// both are normalised the way a bookkeeper reads them. Numbers are compared numerically, also when written as text
/// with thousand separators (<c>"1.234,56"</c> is 1234.56); dates as dates (<c>"02/03/2026"</c>, <c>"2 March 2026"</c>
/// and <c>"2026-03-02"</c> are one day); other text ignoring case, spacing, Unicode compatibility forms and typographic
/// quotes and dashes. Numbers and dates are read by <see cref="PrintedNumbers"/> and <see cref="PrintedDates"/>, as the
/// evidence finder reads them (docs/document-types.md, "Trust signals"), so that "found in the document" and "right"
/// mean the same reading of a value.
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

    public static HashSet<decimal> Numbers(string text) => [.. PrintedNumbers.ReadingsOfValue(text)];

    /// <summary>The day a value can be read as, in any form <see cref="PrintedDates"/> reads; none for anything else.</summary>
    public static HashSet<DateOnly> Dates(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Dates(value.GetString()!) : [];

    public static HashSet<DateOnly> Dates(string text) => PrintedDates.ReadValue(text) is { } day ? [day] : [];

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

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
