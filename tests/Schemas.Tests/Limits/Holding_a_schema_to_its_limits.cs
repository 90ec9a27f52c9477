using System.Text;
using System.Text.Json;
using DocExtract.TestSupport;
using Xunit.Abstractions;

namespace DocExtract.Schemas.Tests.Limits;

/// <summary>
/// Issue #15: a schema sent through the API is held to Schemas:* limits, each counted before anything is built from
/// it, and a refusal names the limit and its setting.
/// </summary>
public class Holding_a_schema_to_its_limits(ITestOutputHelper output)
{
    // _small limits, so that small schemas cross them.
    private static readonly SchemaLimits _small = new()
    {
        MaxPropertiesPerObject = 10, MaxProperties = 25, MaxEnumValues = 8, MaxAlternatives = 3, MaxDepth = 4,
        MaxDefinitions = 5, MaxGrammarChars = 20_000, MaxInstructionChars = 1_000,
    };

    public static TheoryData<string, string, string> OverSmallLimits() => new()
    {
        { "MaxPropertiesPerObject", HostileSchemas.ManyOptionalProperties(11), "#" },
        { "MaxEnumValues", HostileSchemas.LongEnum(9), "#/properties/kind" },
        { "MaxDepth", HostileSchemas.ReferenceChain(4), "#" },
        { "MaxDepth", HostileSchemas.Nested(4), "#" },
        { "MaxDefinitions", HostileSchemas.ManyDefinitions(6), "#" },
        { "MaxGrammarChars", HostileSchemas.ManyLongStrings(3, 2000), "#" },
        { "MaxInstructionChars", HostileSchemas.LongDescription(1_000), "#" },
    };

    public static TheoryData<string> UnderSmallLimits() => new()
    {
        HostileSchemas.ManyOptionalProperties(10),
        HostileSchemas.LongEnum(8),
        HostileSchemas.ReferenceChain(3),
        HostileSchemas.Nested(3),
        HostileSchemas.ManyDefinitions(5),
        HostileSchemas.ManyLongStrings(2, 2000),
        HostileSchemas.LongDescription(850),
    };

    [Theory]
    [MemberData(nameof(OverSmallLimits))]
    public async Task Refuses_a_schema_just_over_a_limit_naming_it_and_its_setting(string setting, string schema, string pointer)
    {
        var over = await Assert.ThrowsAsync<SchemaLimitException>(() => LoadAsync(schema, _small));

        Assert.Equal($"Schemas:{setting}", over.Setting);
        Assert.Equal(pointer, over.Pointer);
        Assert.True(over.Actual > over.Limit);
        Assert.Contains($"over the limit of {over.Limit} (Schemas:{setting})", over.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnderSmallLimits))]
    public async Task Accepts_a_schema_just_under_every_limit(string schema) =>
        Assert.Equal("Hostile", (await LoadAsync(schema, _small)).Title);

    [Fact]
    public async Task Counts_properties_of_all_objects_and_definitions_together()
    {
        // Two definitions of 9 properties and a root of 9: each under the per-object limit of 10, 27 in all over 25.
        static string Nine(string prefix) => string.Join(", ", Enumerable.Range(0, 9).Select(i => $"\"{prefix}{i}\": {{ \"type\": \"integer\" }}"));
        var schema = $$"""
            { "title": "Hostile", "description": "Made by a test.", "type": "object",
              "properties": { "a": { "$ref": "#/$defs/a" }, "b": { "$ref": "#/$defs/b" }, {{Nine("r").Replace("\"r0\": { \"type\": \"integer\" }, \"r1\": { \"type\": \"integer\" }, ", "", StringComparison.Ordinal)}} },
              "$defs": {
                "a": { "type": "object", "properties": { {{Nine("a")}} } },
                "b": { "type": "object", "properties": { {{Nine("b")}} } }
              } }
            """;

        var over = await Assert.ThrowsAsync<SchemaLimitException>(() => LoadAsync(schema, _small));

        Assert.Equal("Schemas:MaxProperties", over.Setting);
        Assert.Equal(27, over.Actual);
    }

    [Fact]
    public async Task Refuses_the_issues_own_schemas_under_the_default_limits_before_building_anything()
    {
        // 20,000 optional properties took 10 minutes and 11.5 GB, 90,000 enum values 128 s, and the chain's prompt
        // doubled per level; the counts come first, so each is refused at once.
        (string Schema, string Setting)[] cases =
        [
            (HostileSchemas.ManyOptionalProperties(20_000), "Schemas:MaxPropertiesPerObject"),
            (HostileSchemas.LongEnum(90_000), "Schemas:MaxEnumValues"),
            (HostileSchemas.ReferenceChain(20), "Schemas:MaxDepth"),
        ];
        foreach (var (schema, setting) in cases)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var over = await Assert.ThrowsAsync<SchemaLimitException>(() => LoadAsync(schema, new SchemaLimits()));
            output.WriteLine($"{setting}: {schema.Length} characters refused in {clock.Elapsed.TotalMilliseconds:0.0} ms");
            Assert.Equal(setting, over.Setting);
        }
    }

    [Theory]
    [MemberData(nameof(TestFiles.BuiltInTypeData), MemberType = typeof(TestFiles))]
    public async Task Leaves_room_for_every_built_in_type_under_the_defaults(string type)
    {
        var limits = new SchemaLimits();
        var schema = await DocumentSchemaLoader.LoadAsync(type, Encoding.UTF8.GetBytes(TestFiles.Schema(type)), GbnfOptions.Default, limits, default);

        var grammar = schema.Grammar.ExpandedSize();
        var instructions = PromptFields.Render(schema).Length;
        output.WriteLine($"{type}: grammar {schema.Grammar.Text.Length} characters, {grammar} expanded; instructions {instructions} characters");
        Assert.InRange(grammar, 1, limits.MaxGrammarChars / 4);
        Assert.InRange(instructions, 1, limits.MaxInstructionChars / 2);
    }

    [Theory]
    [InlineData("const")]
    [InlineData("enum")]
    public async Task Refuses_a_nul_character_in_a_value_saying_where(string keyword)
    {
        var error = await Assert.ThrowsAsync<InvalidSchemaException>(() => LoadAsync(HostileSchemas.WithConst("\"a\\u0000b\"", keyword), limits: null));

        Assert.Contains("U+0000", error.Message, StringComparison.Ordinal);
        Assert.Contains(keyword == "const" ? "#/properties/marker/const" : "#/properties/marker/enum/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measures_a_grammar_with_its_repetitions_expanded()
    {
        var grammar = new GbnfGrammar("root ::= [0-9]{1,100} x{3}\nx ::= \"ab\"\n");

        Assert.Equal(grammar.Text.Length + 100 * "[0-9]".Length + 3 * "x".Length, grammar.ExpandedSize());
    }

    private static Task<DocumentSchema> LoadAsync(string schema, SchemaLimits? limits) =>
        DocumentSchemaLoader.LoadAsync("hostile", Encoding.UTF8.GetBytes(schema), GbnfOptions.Default, limits, default);
}
