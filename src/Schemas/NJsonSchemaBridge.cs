using System.Text.Json;
using System.Text.Json.Nodes;

namespace DocExtract.Schemas;

// Rewrites a draft 2020-12 schema into what NJsonSchema 10.7.2 (a draft-04/07 validator, and the newest version the
// reachable NuGet mirror holds) checks correctly. Probing it showed three gaps:
// - "$defs" is found only by accident: a reference from one definition into another fails to resolve, so root $defs
//   move to "definitions" and "#/$defs/..." references follow them;
// - "const" is not checked at all, so it becomes a one-value "enum";
// - several 2020-12 and draft-07 keywords are parsed and then never checked; those are refused, never passed along.
internal static class NJsonSchemaBridge
{
    private static readonly HashSet<string> _unchecked = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "contains", "minContains", "maxContains", "propertyNames", "dependentRequired",
        "dependentSchemas", "dependencies", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "$anchor",
        "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
    };

    private static readonly string[] _schemaMaps = ["properties", "patternProperties", "$defs", "definitions"];
    private static readonly string[] _schemaValues = ["additionalProperties", "additionalItems", "items", "not"];
    private static readonly string[] _schemaLists = ["allOf", "anyOf", "oneOf", "items"];

    private const string DefsPrefix = "#/$defs/";
    private const string DefinitionsPrefix = "#/definitions/";

    /// <exception cref="SchemaNotSupportedException">The schema uses a keyword NJsonSchema would not check.</exception>
    /// <exception cref="JsonException">The text is not JSON, or repeats a property name.</exception>
    public static string Rewrite(string schemaJson)
    {
        var root = JsonNode.Parse(schemaJson, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        if (root is not JsonObject schema)
        {
            return schemaJson;
        }

        Visit(schema, JsonPointer.Root);
        MoveDefinitions(schema);
        return schema.ToJsonString();
    }

    private static void Visit(JsonNode? node, string pointer)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        foreach (var keyword in schema.Select(property => property.Key).Where(_unchecked.Contains))
        {
            throw new SchemaNotSupportedException(keyword, pointer,
                "NJsonSchema 10.7.2 does not check this keyword, so validation would pass documents the schema rejects");
        }

        if (schema["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target)
            && target.StartsWith(DefsPrefix, StringComparison.Ordinal))
        {
            schema["$ref"] = DefinitionsPrefix + target[DefsPrefix.Length..];
        }

        if (schema.TryGetPropertyValue("const", out var constant))
        {
            schema.Remove("const");
            if (schema["enum"] is JsonArray values)
            {
                // Both present: only the values equal to the const survive.
                schema["enum"] = new JsonArray([.. values.Where(value => JsonNode.DeepEquals(value, constant)).Select(value => value?.DeepClone())]);
            }
            else
            {
                schema["enum"] = new JsonArray(constant?.DeepClone());
            }
        }

        foreach (var keyword in _schemaMaps)
        {
            if (schema[keyword] is JsonObject map)
            {
                foreach (var (name, child) in map)
                {
                    Visit(child, JsonPointer.Append(JsonPointer.Append(pointer, keyword), name));
                }
            }
        }

        foreach (var keyword in _schemaValues)
        {
            Visit(schema[keyword], JsonPointer.Append(pointer, keyword));
        }

        foreach (var keyword in _schemaLists)
        {
            if (schema[keyword] is JsonArray list)
            {
                for (var index = 0; index < list.Count; index++)
                {
                    Visit(list[index], JsonPointer.Append(JsonPointer.Append(pointer, keyword), index));
                }
            }
        }
    }

    private static void MoveDefinitions(JsonObject root)
    {
        if (root["$defs"] is not JsonObject defs)
        {
            return;
        }

        if (root["definitions"] is not JsonObject definitions)
        {
            definitions = [];
            root["definitions"] = definitions;
        }

        foreach (var name in defs.Select(property => property.Key).ToList())
        {
            if (definitions.ContainsKey(name))
            {
                throw new SchemaNotSupportedException("$defs", JsonPointer.Root,
                    $"'{name}' is defined in both $defs and definitions, which NJsonSchema keeps in one place");
            }

            var schema = defs[name];
            defs.Remove(name);
            definitions[name] = schema;
        }

        root.Remove("$defs");
    }
}
