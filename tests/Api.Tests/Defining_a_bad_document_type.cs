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

    [Theory]
    [InlineData("many-properties", "Schemas:MaxPropertiesPerObject", 200)]
    [InlineData("long-enum", "Schemas:MaxEnumValues", 1000)]
    [InlineData("reference-chain", "Schemas:MaxDepth", 16)]
    public async Task The_issues_hostile_schemas_are_refused_at_once_naming_the_limit_and_its_setting(string name, string setting, long limit)
    {
        // Issue #15: these ran the API for 10 minutes into an OutOfMemoryException, took 128 s, and made a prompt
        // of tens of thousands of tokens. Each is counted before anything is built, under the default limits.
        var schema = name switch
        {
            "many-properties" => HostileSchemas.ManyOptionalProperties(20_000),
            "long-enum" => HostileSchemas.LongEnum(90_000),
            _ => HostileSchemas.ReferenceChain(20),
        };
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync(name, schema);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(setting, problem.GetProperty("setting").GetString());
        Assert.Equal(limit, problem.GetProperty("limit").GetInt64());
        Assert.True(problem.GetProperty("actual").GetInt64() > limit);
        Assert.Contains($"over the limit of {limit} ({setting})", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(name);
    }

    [Fact]
    public async Task A_schema_at_the_limits_is_accepted()
    {
        using var client = api.CreateClient();

        using var properties = await client.PutSchemaAsync("two-hundred-fields", HostileSchemas.ManyOptionalProperties(200));
        using var values = await client.PutSchemaAsync("thousand-values", HostileSchemas.LongEnum(1000));

        Assert.Equal(HttpStatusCode.Created, properties.StatusCode);
        Assert.Equal(HttpStatusCode.Created, values.StatusCode);
    }

    [Theory]
    [InlineData("const")]
    [InlineData("enum")]
    public async Task A_nul_character_in_a_fixed_value_is_refused(string keyword)
    {
        var name = $"nul-{keyword}";
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync(name, HostileSchemas.WithConst("\"\\u0000\"", keyword));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("U+0000", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(name);
    }

    private async Task AssertNothingStoredAsync(string name) =>
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM custom_schemas WHERE name = $1", name));
}
