using DocExtract.Api.Export;

namespace DocExtract.Api.Tests;

/// <summary>Formula injection hidden behind whitespace, invisible characters or lookalike signs is defused too (issue #15).</summary>
public sealed class Writing_a_csv_cell
{
    [Theory]
    [InlineData("=1+1")]
    [InlineData("\n=HYPERLINK(\"http://evil.example\")")]
    [InlineData(" =1+1")]
    [InlineData("\u00A0=1+1")]
    [InlineData("\u200B=1+1")]
    [InlineData("\uFEFF=1+1")]
    [InlineData("\u202E=1+1")]
    [InlineData("\u3000=1+1")]
    [InlineData("\uFF1D1+1")]
    [InlineData("\uFF0BA1")]
    [InlineData("\uFF0DA1")]
    [InlineData("\uFF20SUM(A1)")]
    [InlineData("\uFE66A1")]
    [InlineData("\uFE62A1")]
    [InlineData("\uFE63A1")]
    [InlineData("\uFE6BSUM(A1)")]
    [InlineData("\u2212A1")]
    [InlineData("\u2013A1")]
    [InlineData(" \u200B\uFF1DA1")]
    [InlineData("\tA1")]
    [InlineData("\rA1")]
    public void A_cell_a_spreadsheet_could_run_starts_with_an_apostrophe(string text)
    {
        var cell = CsvCell.Text(text);

        var unquoted = cell.StartsWith('"') ? cell[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : cell;
        Assert.Equal("'" + text, unquoted);
    }

    [Theory]
    [InlineData("ACME GmbH")]
    [InlineData(" leading space")]
    [InlineData("a=b")]
    [InlineData("1-2")]
    [InlineData("\u00A0Net 30")]
    [InlineData("   ")]
    public void Other_text_is_left_as_it_is(string text) => Assert.Equal(text, CsvCell.Text(text));
}
