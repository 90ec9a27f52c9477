using System.Globalization;
using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Holds an attachment's values against the visible pages (#12). Each value EmbeddedInvoices:PageMustShow names
/// (the invoice number, date and total by default: every invoice page prints them) must occur on a page, as the
/// evidence finder reads pages. One that does not is a contradiction: the attachment and the page disagree (the XML
/// says 529.87, the page prints 592,87), and the reason names both. For a number the page's value is the printed
/// number that differs from it by one digit or by two adjacent digits swapped, the slips of a page made apart from its
/// XML.
/// </summary>
public static class PageCheck
{
    public static IReadOnlyList<PageContradiction> Run(
        IReadOnlyList<FieldTrust> fields, IReadOnlyList<PageText> pages, string attachment, IEnumerable<string> mustShow)
    {
        var byPointer = fields.ToDictionary(f => f.Pointer, StringComparer.Ordinal);
        var found = new List<PageContradiction>();
        foreach (var pointer in mustShow)
        {
            if (!byPointer.TryGetValue(pointer, out var field) || field.Evidence is not null || !EvidenceFinder.NeedsEvidence(field.Value))
            {
                continue;
            }
            var where = field.Source?.Path is { } path ? $" ({path})" : "";
            var said = $"the attachment {attachment} gives {pointer} as {field.Value.GetRawText()}{where}";
            var instead = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetDecimal(out var number)
                ? NearMiss(number, pages)
                : null;
            found.Add(new PageContradiction(pointer, instead is null
                ? $"{said}, but no page shows that value"
                : $"{said}, but page {instead.Page} shows {instead.Quote}"));
        }
        return found;
    }

    private static Evidence? NearMiss(decimal value, IReadOnlyList<PageText> pages)
    {
        var wanted = Digits(value);
        foreach (var (page, start, printed, readings) in EvidenceFinder.NumbersIn(pages))
        {
            if (readings.Any(reading => OneSlipApart(wanted, Digits(reading))))
            {
                return new Evidence(page, start, start + printed.Length, printed);
            }
        }
        return null;
    }

    private static string Digits(decimal value) =>
        Math.Abs(value).ToString("0.00", CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal);

    // One digit replaced, or two neighbours swapped: equal lengths, differing in one place or in a swapped pair.
    private static bool OneSlipApart(string a, string b)
    {
        if (a.Length != b.Length || a == b)
        {
            return false;
        }
        var differ = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
        return differ.Count == 1 ||
               (differ.Count == 2 && differ[1] == differ[0] + 1 && a[differ[0]] == b[differ[1]] && a[differ[1]] == b[differ[0]]);
    }
}
