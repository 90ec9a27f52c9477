namespace DocExtract.Schemas.Tests;

public class Names_of_document_types
{
    [Theory]
    [InlineData("invoice")]
    [InlineData("bank-statement")]
    [InlineData("form-1040")]
    [InlineData("2026")]
    public void Are_lowercase_letters_digits_and_inner_hyphens(string name) => Assert.True(DocumentTypeName.IsValid(name));

    [Theory]
    [InlineData("auto", "reserved")]
    [InlineData("unknown", "reserved")]
    [InlineData("", "empty")]
    [InlineData("Invoice", "not a valid name")]
    [InlineData("bank_statement", "not a valid name")]
    [InlineData("-invoice", "not a valid name")]
    [InlineData("invoice-", "not a valid name")]
    [InlineData("bank--statement", "not a valid name")]
    [InlineData("rechnung-ä", "not a valid name")]
    public void Refuse_anything_else_saying_why(string name, string reason) =>
        Assert.Contains(reason, DocumentTypeName.Problem(name));

    [Fact]
    public void Refuse_names_over_64_characters() => Assert.False(DocumentTypeName.IsValid(new string('a', 65)));
}
