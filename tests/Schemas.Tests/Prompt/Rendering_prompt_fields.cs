using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.TestSupport;

namespace DocExtract.Schemas.Tests.Prompt;

public class Rendering_prompt_fields
{
    [Fact]
    public void Lists_each_field_with_type_requiredness_and_description_nested_by_indentation()
    {
        using var schema = JsonDocument.Parse("""
            {
              "title": "Memo",
              "description": "An internal memo.\n   Short.",
              "type": "object",
              "required": ["kind", "sent", "author", "items"],
              "properties": {
                "kind": { "const": "memo", "description": "Always memo." },
                "sent": { "type": ["string", "null"], "format": "date", "description": "Date sent." },
                "author": { "anyOf": [{ "$ref": "#/$defs/person" }, { "type": "null" }], "description": "Who wrote it." },
                "items": {
                  "type": "array", "maxItems": 3, "description": "Action items.",
                  "items": { "type": "object", "required": ["task"], "properties": { "task": { "type": "string" }, "due": { "type": "string", "format": "date-time" } } }
                },
                "priority": { "enum": ["low", "high", null], "description": "How urgent." },
                "tags": { "type": "array", "items": { "type": "string" } },
                "odd key": { "type": "boolean" }
              },
              "$defs": {
                "person": {
                  "type": "object", "description": "A person.", "required": ["name"],
                  "properties": { "name": { "type": "string", "description": "Full name." }, "level": { "$ref": "#/$defs/level", "description": "Seniority." } }
                },
                "level": { "type": "integer", "description": "1 to 5." }
              }
            }
            """);

        Assert.Equal("""
            # Memo
            An internal memo. Short.

            Fields:
            - kind (always "memo", required): Always memo.
            - sent (date YYYY-MM-DD or null, required): Date sent.
            - author (object or null, required): Who wrote it.
              - name (string, required): Full name.
              - level (integer, optional): Seniority. 1 to 5.
            - items (array of objects, required): Action items.
              - task (string, required)
              - due (date-time YYYY-MM-DDThh:mm:ssZ, optional)
            - priority (one of "low", "high", null, optional): How urgent.
            - tags (array of strings, optional)
            - "odd key" (boolean, optional)

            """.ReplaceLineEndings("\n"), PromptFields.Render(schema.RootElement));
    }

    [Fact]
    public void Describes_a_definition_used_twice_once_and_names_it_where_it_is_used()
    {
        using var schema = JsonDocument.Parse("""
            {
              "type": "object",
              "required": ["seller"],
              "properties": {
                "seller": { "anyOf": [{ "$ref": "#/$defs/party" }, { "type": "null" }], "description": "Who sells." },
                "buyers": { "type": "array", "items": { "$ref": "#/$defs/party" } }
              },
              "$defs": {
                "party": { "type": "object", "description": "A company.", "properties": { "name": { "type": "string" } } }
              }
            }
            """);

        Assert.Equal("""
            Fields:
            - seller (party or null, required): Who sells.
            - buyers (array of (party), optional)

            Definitions (named by the fields above):
            - party (object): A company.
              - name (string, optional)

            """.ReplaceLineEndings("\n"), PromptFields.Render(schema.RootElement));
    }

    [Fact]
    public void Of_a_chain_of_definitions_each_used_twice_grows_linearly_with_its_depth()
    {
        // Issue #15: each reference written out in full doubled the text per level (89,750 tokens at depth 12).
        var single = PromptFields.Render(JsonDocument.Parse(HostileSchemas.ReferenceChain(10)).RootElement).Length;
        var twice = PromptFields.Render(JsonDocument.Parse(HostileSchemas.ReferenceChain(20)).RootElement).Length;

        Assert.InRange((double)twice / single, 1.6, 2.2);
    }

    [Theory]
    [MemberData(nameof(TestFiles.BuiltInTypeData), MemberType = typeof(TestFiles))]
    public void Of_a_built_in_type_lists_every_field_it_declares(string type)
    {
        using var schema = JsonDocument.Parse(TestFiles.Schema(type));
        var rendered = PromptFields.Render(schema.RootElement);

        var missing = DeclaredKeys(JsonNode.Parse(TestFiles.Schema(type))!).Where(key => !rendered.Contains($"- {key} (", StringComparison.Ordinal));
        Assert.Empty(missing);
        Assert.StartsWith($"# {schema.RootElement.GetProperty("title").GetString()}\n", rendered);
    }

    [Fact]
    public async Task Of_a_catalog_entry_is_that_of_its_schema()
    {
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = TestFiles.SchemasFolder });
        var receipt = await catalog.FindAsync("receipt");
        using var schema = JsonDocument.Parse(TestFiles.Schema("receipt"));

        Assert.Equal(PromptFields.Render(schema.RootElement), PromptFields.Render(receipt!));
    }

    // Every key under a "properties" keyword anywhere in the schema, definitions included.
    private static IEnumerable<string> DeclaredKeys(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["properties"] as JsonObject ?? new JsonObject()).Select(property => property.Key)
            .Concat(obj.SelectMany(child => DeclaredKeys(child.Value))),
        JsonArray array => array.SelectMany(DeclaredKeys),
        _ => [],
    };
}
