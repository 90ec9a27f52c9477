using System.Net;
using DocExtract.TestSupport;

namespace DocExtract.Api.Tests;

/// <summary>Each refusal is a 400 problem naming what is wrong, and stores nothing.</summary>
public sealed class Defining_a_bad_document_type(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task A_keyword_the_grammar_cannot_enforce_is_named_with_where_it_is()
    {
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync("patterned-claim", CustomSchemas.WithPattern());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("pattern", problem.GetProperty("keyword").GetString());
        Assert.Equal("#/properties/policy_number", problem.GetProperty("pointer").GetString());
        Assert.Contains("'pattern' at #/properties/policy_number", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync("patterned-claim");
    }

    [Theory]
    [InlineData("not-json", "{ \"title\": ", "is not valid JSON")]
    [InlineData("an-array", "[1, 2]", "must be a JSON object")]
    [InlineData("a-string-type", "{ \"title\": \"t\", \"description\": \"d\", \"type\": \"string\" }", "the root must be \"type\": \"object\"")]
    [InlineData("no-title", "{ \"description\": \"d\", \"type\": \"object\", \"properties\": {} }", "has no \"title\"")]
    [InlineData("empty", "", "the body is empty")]
    public async Task Bad_json_is_refused_saying_why(string name, string body, string expected)
    {
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync(name, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(name);
    }

    [Theory]
    [InlineData("Claim_Form", "use lowercase letters, digits and inner hyphens")]
    [InlineData("auto", "reserved for automatic type detection")]
    public async Task A_bad_name_is_refused(string name, string expected)
    {
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync(name, CustomSchemas.Claim());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(name);
    }

    [Fact]
    public async Task A_schema_over_the_size_limit_is_413()
    {
        using var client = api.CreateClient();
        var huge = CustomSchemas.Claim(new string('x', 1024 * 1024));

        using var response = await client.PutSchemaAsync("huge-claim", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Api:MaxSchemaBytes", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync("huge-claim");
    }

    private async Task AssertNothingStoredAsync(string name) =>
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM custom_schemas WHERE name = $1", name));
}
