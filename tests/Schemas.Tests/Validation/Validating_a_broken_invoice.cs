using System.Text.Json.Nodes;

namespace DocExtract.Schemas.Tests.Validation;

public class Validating_a_broken_invoice
{
    private static readonly Lazy<Task<SchemaValidator>> _validator = new(() => SchemaValidator.CreateAsync(TestFiles.Schema("invoice")));

    [Fact]
    public async Task Names_a_value_of_the_wrong_type_by_path_and_kind() =>
        Assert.Equal(["#/line_items[1].description: string expected"],
            await ErrorsAfter(invoice => invoice["line_items"]![1]!["description"] = 17));

    [Fact]
    public async Task Explains_which_alternatives_of_a_nullable_value_failed()
    {
        var errors = await ErrorsAfter(invoice => invoice["total"] = "1382.03");

        var error = Assert.Single(errors);
        Assert.StartsWith("#/total: no type validates (", error);
        Assert.Contains("number expected", error);
        Assert.Contains("null expected", error);
    }

    [Fact]
    public async Task Names_a_missing_required_field() =>
        Assert.Equal(["#/invoice_number: property required"], await ErrorsAfter(invoice => invoice.AsObject().Remove("invoice_number")));

    [Fact]
    public async Task Names_a_missing_field_inside_a_referenced_definition()
    {
        var errors = await ErrorsAfter(invoice => invoice["seller"]!["address"]!.AsObject().Remove("city"));

        Assert.Contains(errors, error => error.Contains("#/seller.address.city", StringComparison.Ordinal) && error.Contains("property required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Names_a_value_outside_the_enum() =>
        Assert.Equal(["#/currency: not in enumeration"], await ErrorsAfter(invoice => invoice["currency"] = "EURO"));

    [Theory]
    [InlineData("2026-13-40")]
    [InlineData("2026-02-29")]
    [InlineData("2026-03-02T10:00:00Z")]
    [InlineData("02.03.2026")]
    public async Task Names_an_impossible_or_misspelt_date(string date)
    {
        var error = Assert.Single(await ErrorsAfter(invoice => invoice["issue_date"] = date));

        Assert.StartsWith("#/issue_date: ", error);
        Assert.Contains("date expected", error);
    }

    [Fact]
    public async Task Names_an_undeclared_property() =>
        Assert.Equal(["#/discount: no additional properties allowed"], await ErrorsAfter(invoice => invoice["discount"] = 5));

    [Fact]
    public async Task Names_a_string_too_short_for_its_min_length()
    {
        var error = Assert.Single(await ErrorsAfter(invoice => invoice["iban"] = "DE89"));

        Assert.StartsWith("#/iban: no type validates (", error);
        Assert.Contains("string too short", error);
    }

    [Theory]
    [InlineData("{\"invoice_number\": ")]
    [InlineData("{'invoice_number': 'RE-1'}")]
    [InlineData("{\"a\": 1} trailing")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    public async Task Reports_text_that_is_not_strict_json_as_one_error(string text)
    {
        var validator = await _validator.Value;

        Assert.StartsWith("not valid JSON: ", Assert.Single(validator.Validate(text)));
    }

    private static async Task<IReadOnlyList<string>> ErrorsAfter(Action<JsonNode> breakIt)
    {
        var invoice = JsonNode.Parse(TestFiles.Sample("invoice"))!;
        breakIt(invoice);
        return (await _validator.Value).Validate(invoice.ToJsonString());
    }
}
