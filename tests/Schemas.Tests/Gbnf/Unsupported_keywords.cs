namespace DocExtract.Schemas.Tests.Gbnf;

public class A_schema_with_a_keyword_the_grammar_cannot_enforce
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { """{ "type": "object", "properties": { "name": { "type": "string", "pattern": "^a" } } }""", "pattern", "#/properties/name" },
        { """{ "type": "object", "properties": { "amount": { "type": "number", "minimum": 0 } } }""", "minimum", "#/properties/amount" },
        { """{ "type": "object", "properties": { "amount": { "type": "number", "maximum": 9 } } }""", "maximum", "#/properties/amount" },
        { """{ "type": "integer", "multipleOf": 2 }""", "multipleOf", "#" },
        { """{ "allOf": [{ "type": "string" }] }""", "allOf", "#" },
        { """{ "type": "object", "properties": { "x": { "not": { "type": "null" } } } }""", "not", "#/properties/x" },
        { """{ "type": "object", "if": { "required": ["a"] }, "then": { "required": ["b"] } }""", "if", "#" },
        { """{ "type": "object", "patternProperties": { "^x-": { "type": "string" } } }""", "patternProperties", "#" },
        { """{ "type": "object", "propertyNames": { "maxLength": 3 } }""", "propertyNames", "#" },
        { """{ "type": "object", "dependentRequired": { "a": ["b"] } }""", "dependentRequired", "#" },
        { """{ "type": "object", "additionalProperties": true }""", "additionalProperties", "#" },
        { """{ "type": "object", "additionalProperties": { "type": "string" } }""", "additionalProperties", "#" },
        { """{ "type": "object", "properties": { "tags": { "type": "array", "items": { "type": "string" }, "uniqueItems": true } } }""", "uniqueItems", "#/properties/tags" },
        { """{ "type": "object", "properties": { "tags": { "type": "array" } } }""", "items", "#/properties/tags" },
        { """{ "type": "object", "properties": { "t": { "type": "array", "prefixItems": [{ "type": "string" }], "items": { "type": "string" } } } }""", "prefixItems", "#/properties/t" },
        { """{ "type": "array", "items": { "type": "string" }, "contains": { "const": "a" } }""", "contains", "#" },
        { """{ "type": "object", "properties": { "mail": { "type": "string", "format": "email" } } }""", "format", "#/properties/mail" },
        { """{ "type": "object", "properties": { "x": { "description": "no type" } } }""", "type", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "text" } } }""", "type", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "string", "$defs": {} } } }""", "$defs", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "string", "$id": "x" } } }""", "$id", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "string", "$anchor": "x" } } }""", "$anchor", "#/properties/x" },
        { """{ "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a", "b"] }""", "required", "#" },
        { """{ "type": "object", "properties": { "x": { "enum": [{ "a": 1 }] } } }""", "enum", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "$ref": "#/$defs/s", "maxLength": 3 } }, "$defs": { "s": { "type": "string" } } }""", "maxLength", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "string", "enum": ["a"], "maxLength": 3 } } }""", "maxLength", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "anyOf": [{ "type": "string" }], "type": "string" } } }""", "type", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": true } }""", "true", "#/properties/x" },
        { """{ "type": "object", "properties": { "a/b~c": { "type": "string", "pattern": "x" } } }""", "pattern", "#/properties/a~1b~0c" },
        { """{ "$ref": "#/$defs/p", "$defs": { "p": { "type": "object", "properties": { "v": { "type": "string", "pattern": "x" } } } } }""", "pattern", "#/$defs/p/properties/v" },
        { """{ "type": "object", "properties": { "x": { "type": "string", "minLength": 5, "maxLength": 2 } } }""", "minLength", "#/properties/x" },
        { """{ "type": "object", "properties": { "x": { "type": "array", "items": { "type": "null" }, "minItems": -1 } } }""", "minItems", "#/properties/x" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_refused_naming_the_keyword_and_where_it_is(string schema, string keyword, string pointer)
    {
        var error = Assert.Throws<SchemaNotSupportedException>(() => GbnfGrammar.FromJsonSchema(schema));

        Assert.Equal((keyword, pointer), (error.Keyword, error.Pointer));
        Assert.Contains($"'{keyword}' at {pointer}", error.Message);
    }
}

public class Annotations_in_a_schema
{
    [Fact]
    public void Change_nothing_in_the_grammar()
    {
        var annotated = GbnfGrammar.FromJsonSchema("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://docextract.local/schemas/x",
              "title": "X", "description": "d", "$comment": "c", "x-docextract-rules": { "sum": ["a"] },
              "type": "object",
              "properties": {
                "a": { "type": "number", "title": "A", "description": "d", "examples": [1], "default": 0, "deprecated": false,
                       "readOnly": false, "writeOnly": false, "x-unit": "EUR" }
              }
            }
            """);
        var plain = GbnfGrammar.FromJsonSchema("""{ "type": "object", "properties": { "a": { "type": "number" } } }""");

        Assert.Equal(plain, annotated);
    }
}
