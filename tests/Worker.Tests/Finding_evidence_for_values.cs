using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Worker.Tests;

public sealed class Finding_evidence_for_values
{
    private static IReadOnlyList<PageText> Pages(params string[] texts) =>
        [.. texts.Select((t, i) => new PageText(i + 1, t, PdfTextExtractor.TextLayerSource))];

    private static Evidence? Find(string json, params string[] pages) => EvidenceFinder.Find(JsonDocument.Parse(json).RootElement, Pages(pages));

    [Theory]
    [InlineData("1234.56", "Total due: 1.234,56 EUR", "1.234,56")]
    [InlineData("1234.56", "Total due: 1,234.56 USD", "1,234.56")]
    [InlineData("1234.56", "Total due: 1 234,56 €", "1 234,56")]
    [InlineData("1234.56", "Betrag CHF 1'234.56", "1'234.56")]
    [InlineData("1234.56", "Amount 1234.56", "1234.56")]
    [InlineData("1234.56", "Montant 1\u00A0234,56 €", "1\u00A0234,56")]
    [InlineData("631.2", "Total: 631.20 GBP", "631.20")]
    [InlineData("1939", "Amount Rs 1939.00 paid", "1939.00")]
    [InlineData("1234567.5", "Sum 1.234.567,50", "1.234.567,50")]
    [InlineData("1234", "Qty 1,234 units", "1,234")]
    [InlineData("1.234", "Rate 1,234 per unit", "1,234")]
    [InlineData("-50", "Refund (50.00)", "50.00")]
    [InlineData("\"1,234.56\"", "Total due 1.234,56", "1.234,56")]
    public void A_number_is_found_however_it_is_printed(string value, string page, string quote)
    {
        var evidence = Find(value, page);

        Assert.NotNull(evidence);
        Assert.Equal(quote, evidence.Quote);
        Assert.Equal(quote, page[evidence.Start..evidence.End]);
    }

    [Theory]
    [InlineData("1234.56", "Total due: 1.234,57 EUR")]
    [InlineData("12.5", "Total 125 EUR and 1.25 EUR")]
    [InlineData("34.73", "Invoice 2014-05-07 No 30064443 total 34,37")]
    [InlineData("1234.56", "Total 11,234.56")]
    public void A_number_that_is_not_printed_has_no_evidence(string value, string page) =>
        Assert.Null(Find(value, page));

    [Theory]
    [InlineData("2026-03-02", "Date: 2 March 2026", "2 March 2026")]
    [InlineData("2026-03-02", "Date: March 2, 2026", "March 2, 2026")]
    [InlineData("2026-03-02", "Dated the 2nd of March 2026", "2nd of March 2026")]
    [InlineData("2026-03-02", "Date: 2 Mar 2026", "2 Mar 2026")]
    [InlineData("2026-03-02", "Date: 02-Mar-2026", "02-Mar-2026")]
    [InlineData("2026-03-02", "Datum: 2. März 2026", "2. März 2026")]
    [InlineData("2026-03-02", "Date : 2 mars 2026", "2 mars 2026")]
    [InlineData("2014-03-29", "Orderdatum: 29 maart 2014", "29 maart 2014")]
    [InlineData("2014-08-03", "Invoice Date:     August 3 , 2014", "August 3 , 2014")]
    [InlineData("2015-07-01", "Prélèvement le 1er Juillet 2015", "1er Juillet 2015")]
    [InlineData("2022-09-08", "Factuur datum  8-9-2022", "8-9-2022")]
    [InlineData("2026-03-02", "Issued 2026-03-02", "2026-03-02")]
    [InlineData("2026-03-02", "Issued 2026/03/02", "2026/03/02")]
    [InlineData("2026-03-02", "Date 02/03/2026", "02/03/2026")]
    [InlineData("2026-03-02", "Datum 02.03.2026", "02.03.2026")]
    [InlineData("2026-03-02", "Date 2.3.26", "2.3.26")]
    [InlineData("2026-03-25", "Date 03/25/2026", "03/25/2026")]
    [InlineData("2026-04-17", "Arve nr 1615 Kuupäev 17.04.2026", "17.04.2026")]
    [InlineData("2026-03-02", "Paid on 2026-03-02T10:15:00", "2026-03-02")]
    [InlineData("\"2026-03-02T09:00:00Z\"", "Sent 2 March 2026 at 9:00", "2 March 2026")]
    public void A_date_is_found_in_any_common_form(string value, string page, string quote)
    {
        var json = value.StartsWith('"') ? value : $"\"{value}\"";

        var evidence = Find(json, page);

        Assert.NotNull(evidence);
        Assert.Equal(quote, evidence.Quote);
    }

    [Theory]
    [InlineData("2026-02-03", "Date 02/03/2026")] // day first: this is 2 March
    [InlineData("2026-03-02", "Date 2 March 2025")]
    [InlineData("2026-03-02", "Date 03/02/2025")]
    [InlineData("2026-02-30", "Date 30/02/2026")]
    public void A_date_that_is_not_printed_has_no_evidence(string value, string page) =>
        Assert.Null(Find($"\"{value}\"", page));

    [Theory]
    [InlineData("Acme Supplies Ltd", "From: ACME  SUPPLIES\nLTD, Bristol", "ACME  SUPPLIES\nLTD")]
    [InlineData("GB82WEST12345698765432", "IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("Jones & Partners LLP", "To: Jones & Partners LLP", "Jones & Partners LLP")]
    [InlineData("Meeltemaitsed OÜ", "Müüja: MEELTEMAITSED OÜ", "MEELTEMAITSED OÜ")]
    [InlineData("Office supplies", "Oﬃce supplies, 2 boxes", "Oﬃce supplies")]
    [InlineData("Smith's \"Bakery\" - north", "Smith’s “Bakery” – north", "Smith’s “Bakery” – north")]
    [InlineData("INV/2023/03/0008", "Invoice INV/2023/03/0008", "INV/2023/03/0008")]
    public void A_string_is_found_ignoring_case_and_whitespace(string value, string page, string quote)
    {
        var evidence = Find(JsonSerializer.Serialize(value), page);

        Assert.NotNull(evidence);
        Assert.Equal(quote, evidence.Quote);
    }

    [Theory]
    [InlineData("Acme", "Acmeco Ltd")]
    [InlineData("Jones and Partners", "Jones & Partners")]
    [InlineData("Acme Supplies Ltd", "Acme Supplies Limited")]
    public void A_string_that_is_not_printed_as_a_whole_has_no_evidence(string value, string page) =>
        Assert.Null(Find(JsonSerializer.Serialize(value), page));

    [Fact]
    public void The_evidence_names_the_page_and_the_span_in_that_pages_text()
    {
        var evidence = Find("\"INV-2026-0042\"", "Page one has nothing.", "Header\nReference: INV-2026-0042\n");

        Assert.Equal(new Evidence(2, 18, 31, "INV-2026-0042"), evidence);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("\"  \"")]
    public void Values_that_are_never_printed_as_such_need_no_evidence(string json) =>
        Assert.False(EvidenceFinder.NeedsEvidence(JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("1,234", new[] { "1.234", "1234" })]
    [InlineData("1.234,56", new[] { "1234.56" })]
    [InlineData("12,5", new[] { "12.5" })]
    [InlineData("1 234", new[] { "1234" })]
    [InlineData("1.234.567", new[] { "1234567" })]
    public void A_printed_number_has_every_reading_its_separators_allow(string printed, string[] readings) =>
        Assert.Equal(readings.Select(r => decimal.Parse(r, System.Globalization.CultureInfo.InvariantCulture)), EvidenceFinder.ReadingsOf(printed));

    [Fact]
    public void A_string_with_a_lone_surrogate_escape_is_searched_as_written_instead_of_throwing()
    {
        var value = JsonDocument.Parse("\"ab\\ud800c\"").RootElement;

        Assert.True(EvidenceFinder.NeedsEvidence(value));
        Assert.Null(EvidenceFinder.Find(value, Pages("abc")));
    }
}
