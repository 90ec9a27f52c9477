namespace DocExtract.Schemas.Tests.Validation;

// NJsonSchema 10.7.2 predates draft 2020-12; each test here fails against it without the bridge.
public class The_draft_2020_12_bridge
{
    [Fact]
    public async Task Resolves_references_from_one_definition_into_another()
    {
        var validator = await SchemaValidator.CreateAsync("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object", "required": ["a"], "properties": { "a": { "$ref": "#/$defs/party" } },
              "$defs": {
                "party": { "type": "object", "required": ["at"], "properties": { "at": { "$ref": "#/$defs/address" } } },
                "address": { "type": "object", "required": ["city"], "properties": { "city": { "type": "string" } } }
              }
            }
            """);

        Assert.Empty(validator.Validate("""{"a":{"at":{"city":"Köln"}}}"""));
        Assert.Equal(["#/a.at.city: string expected"], validator.Validate("""{"a":{"at":{"city":1}}}"""));
    }

    [Fact]
    public async Task Enforces_const()
    {
        var validator = await SchemaValidator.CreateAsync("""
            { "type": "object", "properties": { "kind": { "const": "invoice" }, "const": { "type": "string" } } }
            """);

        Assert.Empty(validator.Validate("""{"kind":"invoice","const":"a property named const is no keyword"}"""));
        Assert.Equal(["#/kind: not in enumeration"], validator.Validate("""{"kind":"receipt"}"""));
        Assert.Equal(["#/const: string expected"], validator.Validate("""{"const":1}"""));
    }

    [Fact]
    public async Task Keeps_only_the_enum_values_equal_to_a_const_beside_them()
    {
        var validator = await SchemaValidator.CreateAsync("""{ "enum": ["a", "b"], "const": "b" }""");

        Assert.Empty(validator.Validate("\"b\""));
        Assert.NotEmpty(validator.Validate("\"a\""));
    }

    [Fact]
    public async Task Leaves_values_that_merely_look_like_references_alone()
    {
        var validator = await SchemaValidator.CreateAsync("""
            { "type": "object", "properties": { "r": { "enum": ["#/$defs/x"], "description": "see #/$defs/x" } }, "$defs": { "x": { "type": "null" } } }
            """);

        Assert.Empty(validator.Validate("""{"r":"#/$defs/x"}"""));
        Assert.NotEmpty(validator.Validate("""{"r":"#/definitions/x"}"""));
    }

    [Fact]
    public async Task Refuses_a_name_defined_in_both_containers()
    {
        var error = await Assert.ThrowsAsync<SchemaNotSupportedException>(() => SchemaValidator.CreateAsync("""
            { "$defs": { "x": { "type": "null" } }, "definitions": { "x": { "type": "string" } } }
            """));

        Assert.Equal(("$defs", "#"), (error.Keyword, error.Pointer));
    }

    [Theory]
    [InlineData("""{ "if": { "type": "string" }, "then": { "maxLength": 1 } }""", "if", "#")]
    [InlineData("""{ "type": "array", "contains": { "type": "string" } }""", "contains", "#")]
    [InlineData("""{ "type": "object", "properties": { "o": { "type": "object", "propertyNames": { "maxLength": 1 } } } }""", "propertyNames", "#/properties/o")]
    [InlineData("""{ "type": "object", "dependentRequired": { "a": ["b"] } }""", "dependentRequired", "#")]
    [InlineData("""{ "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "string" }] } }""", "prefixItems", "#/items")]
    [InlineData("""{ "$defs": { "d": { "type": "object", "unevaluatedProperties": false } } }""", "unevaluatedProperties", "#/$defs/d")]
    public async Task Refuses_keywords_NJsonSchema_would_skip(string schema, string keyword, string pointer)
    {
        var error = await Assert.ThrowsAsync<SchemaNotSupportedException>(() => SchemaValidator.CreateAsync(schema));

        Assert.Equal((keyword, pointer), (error.Keyword, error.Pointer));
    }
}

public class Dates_in_grammar_and_validator
{
    // The grammar decides what the model can write and the validator what is kept: they must agree on dates.
    [Theory]
    [InlineData("2024-02-29", true)]
    [InlineData("2000-02-29", true)]
    [InlineData("2026-12-31", true)]
    [InlineData("2026-02-29", false)]
    [InlineData("1900-02-29", false)]
    [InlineData("2026-04-31", false)]
    [InlineData("2026-13-40", false)]
    [InlineData("2026-00-01", false)]
    public async Task Agree_on_which_are_valid(string date, bool valid)
    {
        const string schema = """{ "type": "string", "format": "date" }""";
        var validator = await SchemaValidator.CreateAsync(schema);

        Assert.Equal(valid, Gbnf.Grammars.For(schema).Accepts($"\"{date}\""));
        Assert.Equal(valid, validator.Validate($"\"{date}\"").Count == 0);
    }
}
