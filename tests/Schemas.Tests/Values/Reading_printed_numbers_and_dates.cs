using System.Globalization;
using DocExtract.Schemas.Values;

namespace DocExtract.Schemas.Tests.Values;

/// <summary>The one reading of numbers and dates that the evidence finder and the evaluation share (#16).</summary>
public sealed class Reading_printed_numbers_and_dates
{
    [Theory]
    [InlineData("1.234,56", new[] { "1234.56" })]
    [InlineData("1,234.56", new[] { "1234.56" })]
    [InlineData("12 345,00", new[] { "12345.00" })]
    [InlineData("1\u00A0234,56", new[] { "1234.56" })]
    [InlineData("1'234.56", new[] { "1234.56" })]
    [InlineData("1\u2019234.56", new[] { "1234.56" })]
    [InlineData("1.234.567", new[] { "1234567" })]
    [InlineData("1,234", new[] { "1.234", "1234" })]
    [InlineData("1 234,567", new[] { "1234.567" })]
    [InlineData("12,5", new[] { "12.5" })]
    [InlineData("1234,567", new[] { "1234.567" })]
    [InlineData("1234567890123456789012345678901234567890", new string[0])]
    public void A_printed_number_reads_as_every_value_its_separators_allow(string printed, string[] readings) =>
        Assert.Equal(readings.Select(Decimal), PrintedNumbers.Readings(printed));

    [Theory]
    [InlineData("EUR 1'234.56", new[] { "1234.56" })]
    [InlineData("1.234,56 €", new[] { "1234.56" })]
    [InlineData("(50.00)", new[] { "-50.00" })]
    [InlineData("- 1 234,56", new[] { "-1234.56" })]
    [InlineData("1,234", new[] { "1.234", "1234" })]
    [InlineData("1.234.56", new string[0])]       // one separator used for both
    [InlineData("1.234 567", new string[0])]      // groups split two ways
    [InlineData("02.03.2026", new string[0])]     // a date is not a grouped number
    [InlineData("INV-1", new string[0])]
    public void A_whole_value_reads_as_a_signed_amount_only_when_it_is_grouped_consistently(string value, string[] readings) =>
        Assert.Equal(readings.Select(Decimal), PrintedNumbers.ReadingsOfValue(value));

    [Theory]
    [InlineData("2026-11-29", "2026-11-29")]
    [InlineData("2026-11-29T10:15:00Z", "2026-11-29")]
    [InlineData("29.11.2026", "2026-11-29")]
    [InlineData("02/03/2026", "2026-03-02")]   // day first, as in Europe
    [InlineData("03/25/2026", "2026-03-25")]   // month first only where day first is impossible
    [InlineData("2.3.26", "2026-03-02")]
    [InlineData("2/3/75", "1975-03-02")]
    [InlineData("Nov 29, 2026", "2026-11-29")]
    [InlineData("29th of November 2026", "2026-11-29")]
    [InlineData("29. Nov. 2026", "2026-11-29")]
    [InlineData("29. November 2026", "2026-11-29")]
    [InlineData("1er juillet 2026", "2026-07-01")]
    [InlineData("2 Mär 2026", "2026-03-02")]
    [InlineData("29 maart 2026", "2026-03-29")]
    [InlineData("1e mrt 2026", "2026-03-01")]
    public void A_whole_value_in_any_common_form_reads_as_its_day(string value, string day) =>
        Assert.Equal(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), PrintedDates.ReadValue(value));

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("30/02/2026")]
    [InlineData("Due 29 November 2026")]   // more than a date
    [InlineData("November 2026")]
    [InlineData("1234.56")]
    public void Anything_else_reads_as_no_day(string value) =>
        Assert.Null(PrintedDates.ReadValue(value));

    [Fact]
    public void Dates_in_text_are_found_where_they_stand()
    {
        const string text = "Invoice of 29.11.2026, due Dec 29, 2026 (ordered 2026-11-01)";

        var found = PrintedDates.In(text).OrderBy(d => d.Start).Select(d => (d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), text.Substring(d.Start, d.Length)));

        Assert.Equal([("2026-11-29", "29.11.2026"), ("2026-12-29", "Dec 29, 2026"), ("2026-11-01", "2026-11-01")], found);
    }

    private static decimal Decimal(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
