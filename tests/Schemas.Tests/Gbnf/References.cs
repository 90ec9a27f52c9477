using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Tests.Gbnf;

public class References_to_definitions
{
    private const string Schema = """
        {
          "type": "object",
          "required": ["home", "work", "who"],
          "properties": {
            "home": { "$ref": "#/$defs/address", "description": "An annotation beside $ref is fine." },
            "work": { "anyOf": [{ "$ref": "#/$defs/address" }, { "type": "null" }] },
            "who": { "$ref": "#/definitions/person" }
          },
          "$defs": {
            "address": { "type": "object", "required": ["city"], "properties": { "city": { "type": "string", "maxLength": 5 } } }
          },
          "definitions": {
            "person": { "type": "object", "required": ["name", "at"], "properties": { "name": { "type": "string" }, "at": { "$ref": "#/$defs/address" } } }
          }
        }
        """;

    [Fact]
    public void Resolve_into_both_definition_containers_and_through_each_other() =>
        Grammars.For(Schema).AssertAccepts(
            """{"home":{"city":"Köln"},"work":null,"who":{"name":"A","at":{"city":"Bonn"}}}""",
            """{"home":{"city":"Ulm"},"work":{"city":"Hof"},"who":{"name":"B","at":{"city":"Gera"}}}""");

    [Fact]
    public void Keep_the_constraints_of_the_definition() =>
        Grammars.For(Schema).AssertRejects(
            """{"home":{"city":"München"},"work":null,"who":{"name":"A","at":{"city":"Bonn"}}}""",
            """{"home":{"city":"Köln"},"work":null,"who":{"name":"A","at":null}}""");

    [Fact]
    public void Share_one_rule_per_definition()
    {
        var grammar = GbnfGrammar.FromJsonSchema(Schema).Text;

        Assert.Single(Regex.Matches(grammar, "^address ::= ", RegexOptions.Multiline));
    }

    [Fact]
    public void That_form_a_cycle_are_refused()
    {
        var error = Assert.Throws<SchemaNotSupportedException>(() => GbnfGrammar.FromJsonSchema("""
            { "$ref": "#/$defs/node", "$defs": { "node": { "type": "object", "properties": { "next": { "$ref": "#/$defs/node" } } } } }
            """));

        Assert.Equal(("$ref", "#/$defs/node/properties/next"), (error.Keyword, error.Pointer));
    }

    [Theory]
    [InlineData("#/$defs/missing")]
    [InlineData("other.json#/$defs/address")]
    [InlineData("#/properties/home")]
    public void That_point_nowhere_or_elsewhere_are_refused(string reference)
    {
        var error = Assert.Throws<SchemaNotSupportedException>(() => GbnfGrammar.FromJsonSchema($$"""
            { "type": "object", "properties": { "home": { "$ref": "{{reference}}" } } }
            """));

        Assert.Equal(("$ref", "#/properties/home"), (error.Keyword, error.Pointer));
    }
}

public class Alternatives_in_a_schema
{
    [Fact]
    public void AnyOf_accepts_what_any_alternative_accepts()
    {
        var grammar = Grammars.For("""{ "anyOf": [{ "type": "string", "maxLength": 2 }, { "type": "integer" }, { "const": "long text" }] }""");

        grammar.AssertAccepts("\"ab\"", "12", "\"long text\"");
        grammar.AssertRejects("\"abc\"", "null", "1.5");
    }

    [Fact]
    public void OneOf_of_exclusive_kinds_works_like_anyOf()
    {
        var grammar = Grammars.For("""{ "oneOf": [{ "type": "object", "properties": { "a": { "type": "null" } } }, { "type": "null" }] }""");

        grammar.AssertAccepts("""{"a":null}""", "null", "{}");
        grammar.AssertRejects("\"a\"");
    }

    [Fact]
    public void OneOf_whose_alternatives_overlap_is_refused()
    {
        var error = Assert.Throws<SchemaNotSupportedException>(() => GbnfGrammar.FromJsonSchema("""
            { "type": "object", "properties": { "x": { "oneOf": [{ "type": "string" }, { "enum": ["a", 1] }] } } }
            """));

        Assert.Equal(("oneOf", "#/properties/x"), (error.Keyword, error.Pointer));
        Assert.Contains("string", error.Message);
    }
}
