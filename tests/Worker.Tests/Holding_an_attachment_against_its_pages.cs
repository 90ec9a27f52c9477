using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;

namespace DocExtract.Worker.Tests;

/// <summary>The page check of the embedded-XML route (#12): which values the pages must print, and what a contradiction names.</summary>
public sealed class Holding_an_attachment_against_its_pages
{
    private static readonly PageText[] _pages = [new(1, "Invoice A-17 of 2 March 2026\nNet 100,00\nTotal 119,00 EUR", "text-layer")];

    private static FieldTrust Read(string pointer, string json)
    {
        var value = JsonDocument.Parse(json).RootElement.Clone();
        return new FieldTrust(pointer, value, 1, EvidenceFinder.Find(value, _pages), Unsupported: false)
        {
            Source = new FieldSource(EmbeddedInvoiceRoute.Route, "factur-x.xml", "/x/Total"),
        };
    }

    [Theory]
    [InlineData("119.00")]
    [InlineData("119")]
    public void A_value_the_page_prints_is_no_contradiction(string total) =>
        Assert.Empty(PageCheck.Run([Read("/total", total), Read("/issue_date", "\"2026-03-02\"")], _pages, "factur-x.xml", ["/total", "/issue_date"]));

    [Theory]
    [InlineData("119.01", "page 1 shows 119,00")]   // one digit
    [InlineData("191.00", "page 1 shows 119,00")]   // neighbours swapped
    [InlineData("912.00", "no page shows that value")]
    public void A_value_the_page_does_not_print_names_the_nearest_printed_one_or_none(string total, string ending)
    {
        var found = Assert.Single(PageCheck.Run([Read("/total", total)], _pages, "factur-x.xml", ["/total"]));

        Assert.Equal("/total", found.Pointer);
        Assert.Equal($"the attachment factur-x.xml gives /total as {total} (/x/Total), but {ending}", found.Detail);
    }

    [Fact]
    public void Only_the_named_values_are_held_against_the_page()
    {
        Assert.Empty(PageCheck.Run([Read("/line_total", "912.00"), Read("/buyer/name", "\"Nowhere Ltd\"")], _pages, "factur-x.xml", ["/total"]));
        Assert.Single(PageCheck.Run([Read("/issue_date", "\"2026-03-09\"")], _pages, "factur-x.xml", ["/issue_date"]));
    }
}
