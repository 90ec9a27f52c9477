using System.Text.Json.Nodes;
using DocExtract.Schemas.Tests.Gbnf;

namespace DocExtract.Schemas.Tests;

public class The_built_in_document_types
{
    public static TheoryData<string> Types => TestFiles.BuiltInTypeData;

    public static TheoryData<string, string> BrokenSamples
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var type in TestFiles.BuiltInTypes)
            {
                foreach (var kind in SampleVariants.Kinds)
                {
                    data.Add(type, kind);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Are_the_five_the_service_ships_with() =>
        Assert.Equal(["bank-statement", "contract", "invoice", "letter", "receipt"], TestFiles.BuiltInTypes);

    [Theory]
    [MemberData(nameof(Types))]
    public void Declare_draft_2020_12_a_title_and_a_description(string type)
    {
        var schema = JsonNode.Parse(TestFiles.Schema(type))!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)schema["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)schema["description"]));
        Assert.True(DocumentTypeName.IsValid(type), type);
    }

    // Descriptions are the model's only explanation of a field; bounds keep each grammar finite.
    [Theory]
    [MemberData(nameof(Types))]
    public void Describe_and_bound_every_field(string type)
    {
        var problems = new List<string>();
        Inspect(JsonNode.Parse(TestFiles.Schema(type))!.AsObject(), "#", isField: false, problems);

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Accept_their_sample_in_the_validator(string type)
    {
        var validator = await SchemaValidator.CreateAsync(TestFiles.Schema(type));

        Assert.Empty(validator.Validate(TestFiles.Sample(type)));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Accept_their_sample_compact_pretty_printed_and_ascii_escaped_in_the_grammar(string type)
    {
        var grammar = Grammars.For(TestFiles.Schema(type));
        var sample = TestFiles.Sample(type);

        grammar.AssertAccepts(JsonText.Compact(sample), JsonText.Pretty(sample), JsonText.AsciiOnly(sample));
    }

    [Theory]
    [MemberData(nameof(BrokenSamples))]
    public async Task Reject_a_sample_with_a_mistake_in_grammar_and_validator(string type, string mistake)
    {
        var broken = SampleVariants.Make(type, mistake);
        var validator = await SchemaValidator.CreateAsync(TestFiles.Schema(type));

        Grammars.For(TestFiles.Schema(type)).AssertRejects(JsonText.Compact(broken), JsonText.Pretty(broken));
        Assert.NotEmpty(validator.Validate(broken));
    }

    private static void Inspect(JsonObject schema, string pointer, bool isField, List<string> problems)
    {
        if (isField && string.IsNullOrWhiteSpace((string?)schema["description"]))
        {
            problems.Add($"{pointer} has no description");
        }

        var types = schema["type"]?.ToJsonString() ?? "";
        if (types.Contains("\"string\"", StringComparison.Ordinal) && schema["enum"] is null && schema["format"] is null && schema["maxLength"] is null)
        {
            problems.Add($"{pointer} is a string without maxLength");
        }

        if (types.Contains("\"array\"", StringComparison.Ordinal) && schema["maxItems"] is null)
        {
            problems.Add($"{pointer} is an array without maxItems");
        }

        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            Inspect(property!.AsObject(), $"{pointer}/properties/{name}", isField: true, problems);
        }

        foreach (var (name, definition) in schema["$defs"]?.AsObject() ?? [])
        {
            Inspect(definition!.AsObject(), $"{pointer}/$defs/{name}", isField: false, problems);
        }

        if (schema["items"] is JsonObject items)
        {
            Inspect(items, pointer + "/items", isField: false, problems);
        }
    }
}
