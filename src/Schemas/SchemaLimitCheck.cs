using System.Globalization;
using System.Text.Json;

namespace DocExtract.Schemas;

// Counts what SchemaLimits bounds in one pass over the parsed schema, before anything is built from it (#15). Every
// node is visited once; the depth follows references, each definition measured once.
internal sealed class SchemaLimitCheck
{
    private readonly JsonElement _document;
    private readonly SchemaLimits _limits;
    private readonly Dictionary<string, int> _depthOfReference = new(StringComparer.Ordinal);
    private readonly HashSet<string> _measuring = new(StringComparer.Ordinal);
    private long _properties;

    private SchemaLimitCheck(JsonElement document, SchemaLimits limits)
    {
        _document = document;
        _limits = limits;
    }

    /// <exception cref="SchemaLimitException">The first limit the schema is over.</exception>
    public static void Structure(JsonElement root, SchemaLimits limits)
    {
        var check = new SchemaLimitCheck(root, limits);
        check.Count(root, JsonPointer.Root);
        var depth = check.Depth(root);
        Over("objects and arrays nested {0} levels deep", "MaxDepth", limits.MaxDepth, depth, JsonPointer.Root);
    }

    /// <exception cref="SchemaLimitException">The grammar is larger than the limit.</exception>
    public static void Grammar(GbnfGrammar grammar, SchemaLimits limits) =>
        Over("a grammar of {0} characters (repetitions counted as the copies llama.cpp makes)", "MaxGrammarChars",
            limits.MaxGrammarChars, grammar.ExpandedSize(), JsonPointer.Root);

    /// <exception cref="SchemaLimitException">The field instructions are longer than the limit.</exception>
    public static void Instructions(string instructions, SchemaLimits limits) =>
        Over("field instructions of {0} characters for every prompt", "MaxInstructionChars",
            limits.MaxInstructionChars, instructions.Length, JsonPointer.Root);

    private void Count(JsonElement schema, string pointer)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (pointer == JsonPointer.Root)
        {
            var definitions = Map(schema, "$defs").Concat(Map(schema, "definitions")).ToList();
            Over("{0} definitions", "MaxDefinitions", _limits.MaxDefinitions, definitions.Count, pointer);
            foreach (var (keyword, definition) in definitions)
            {
                Count(definition.Value, JsonPointer.Append(JsonPointer.Append(pointer, keyword), definition.Name));
            }
        }

        var properties = Map(schema, "properties").ToList();
        Over("an object with {0} properties", "MaxPropertiesPerObject", _limits.MaxPropertiesPerObject, properties.Count, pointer);
        _properties += properties.Count;
        Over("{0} properties in all", "MaxProperties", _limits.MaxProperties, _properties, pointer);
        foreach (var (_, property) in properties)
        {
            Count(property.Value, JsonPointer.Append(JsonPointer.Append(pointer, "properties"), property.Name));
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            Over("an enum of {0} values", "MaxEnumValues", _limits.MaxEnumValues, values.GetArrayLength(), pointer);
        }

        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                Over($"{{0}} alternatives in {keyword}", "MaxAlternatives", _limits.MaxAlternatives, branches.GetArrayLength(), pointer);
                var index = 0;
                foreach (var branch in branches.EnumerateArray())
                {
                    Count(branch, JsonPointer.Append(JsonPointer.Append(pointer, keyword), index++));
                }
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            Count(items, JsonPointer.Append(pointer, "items"));
        }
    }

    // Levels of objects and arrays a value of this schema can have. A reference back into itself counts as none here:
    // the grammar refuses recursive schemas with a reason of its own.
    private int Depth(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            var target = reference.GetString()!;
            if (_depthOfReference.TryGetValue(target, out var known))
            {
                return known;
            }

            if (!_measuring.Add(target) || !JsonPointer.TryResolve(_document, target, out var definition))
            {
                return 0;
            }

            var depth = Depth(definition);
            _measuring.Remove(target);
            _depthOfReference[target] = depth;
            return depth;
        }

        var deepest = 0;
        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                deepest = branches.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max();
            }
        }

        var inner = Map(schema, "properties").Select(property => Depth(property.Property.Value)).DefaultIfEmpty(0).Max();
        if (schema.TryGetProperty("items", out var items))
        {
            inner = Math.Max(inner, Depth(items));
        }

        var container = inner > 0 || schema.TryGetProperty("properties", out _) || schema.TryGetProperty("items", out _) || IsContainerType(schema);
        return Math.Max(deepest, container ? inner + 1 : 0);
    }

    private static bool IsContainerType(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(name => name.ValueKind == JsonValueKind.String && name.GetString() is "object" or "array")
            : type.ValueKind == JsonValueKind.String && type.GetString() is "object" or "array");

    private static IEnumerable<(string Keyword, JsonProperty Property)> Map(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().Select(property => (keyword, property))
            : [];

    private static void Over(string what, string setting, long limit, long actual, string pointer)
    {
        if (actual > limit)
        {
            throw new SchemaLimitException(
                string.Format(CultureInfo.InvariantCulture, what, actual), $"{SchemaLimits.Section}:{setting}", limit, actual, pointer);
        }
    }
}
