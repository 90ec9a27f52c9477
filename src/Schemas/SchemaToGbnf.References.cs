using System.Text.Json;
using static DocExtract.Schemas.GbnfText;

namespace DocExtract.Schemas;

// References, alternatives and fixed values, and the readers for keyword values.
internal sealed partial class SchemaToGbnf
{
    private static readonly string[] _typeNames = ["object", "array", "string", "number", "integer", "boolean", "null"];

    private string VisitRef(JsonElement reference, string pointer)
    {
        var target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : "";
        if (!target.StartsWith("#/$defs/", StringComparison.Ordinal) && !target.StartsWith("#/definitions/", StringComparison.Ordinal))
        {
            throw new SchemaNotSupportedException("$ref", pointer,
                $"{reference.GetRawText()} is not supported; only references into #/$defs or #/definitions of the same document are");
        }

        if (_resolvedRefs.TryGetValue(target, out var known))
        {
            return known;
        }

        if (!_refsInProgress.Add(target))
        {
            throw new SchemaNotSupportedException("$ref", pointer,
                $"'{target}' refers back to a schema that contains it; recursive schemas have no bounded grammar");
        }

        if (!JsonPointer.TryResolve(_document, target, out var definition))
        {
            throw new SchemaNotSupportedException("$ref", pointer, $"'{target}' does not point to a schema in this document");
        }

        // A definition becomes one rule, named after it and shared by every reference.
        var expression = Visit(definition, target, target[(target.LastIndexOf('/') + 1)..]);
        _refsInProgress.Remove(target);
        _resolvedRefs[target] = expression;
        return expression;
    }

    // anyOf is exactly the union of its alternatives. oneOf is the union only while no value can match two of them,
    // which is checked here by the kinds of JSON value each alternative allows.
    private string VisitAlternatives(JsonElement branches, string pointer, string name, string keyword)
    {
        if (branches.ValueKind != JsonValueKind.Array || branches.GetArrayLength() == 0)
        {
            throw new SchemaNotSupportedException(keyword, pointer, "must be a non-empty array of schemas");
        }

        var expressions = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new List<HashSet<string>>();
        var index = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            var branchPointer = JsonPointer.Append(JsonPointer.Append(pointer, keyword), index++);
            var expression = Visit(branch, branchPointer, name);
            if (seen.Add(expression))
            {
                expressions.Add(expression);
            }

            kinds.Add(Kinds(branch));
        }

        for (var first = 0; keyword == "oneOf" && first < kinds.Count; first++)
        {
            for (var second = first + 1; second < kinds.Count; second++)
            {
                var shared = kinds[first].Intersect(kinds[second]).FirstOrDefault();
                if (shared is not null)
                {
                    throw new SchemaNotSupportedException(keyword, pointer,
                        $"alternatives {first} and {second} both allow a {shared}, so the grammar cannot keep them "
                        + "exclusive; use anyOf if either may match");
                }
            }
        }

        return Alternatives(expressions);
    }

    private string VisitValues(JsonElement schema, string pointer, string name, string keyword)
    {
        var values = schema.GetProperty(keyword);
        if (keyword == "enum" && (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0))
        {
            throw new SchemaNotSupportedException(keyword, pointer, "must be a non-empty array");
        }

        var types = schema.TryGetProperty("type", out _) ? ReadTypes(schema, pointer) : null;
        // A set beside the list: checking each value against a list made an enum of 90,000 strings take 128 s (#15).
        var literals = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in keyword == "enum" ? values.EnumerateArray().ToList() : [values])
        {
            var literal = value.ValueKind switch
            {
                JsonValueKind.String => Literal(JsonString(value.GetString()!)),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => Literal(value.GetRawText()),
                _ => throw new SchemaNotSupportedException(keyword, pointer, "object and array values are not supported"),
            };

            // Values of a type the schema excludes could never validate, so the grammar leaves them out.
            if ((types is null || types.Any(type => Admits(type, value))) && seen.Add(literal))
            {
                literals.Add(literal);
            }
        }

        if (literals.Count == 0)
        {
            throw new SchemaNotSupportedException(keyword, pointer, "none of its values has the declared type");
        }

        if (literals.Count == 1)
        {
            return literals[0];
        }

        var rule = ClaimRule(name, pointer);
        _rules.Define(rule, string.Join(" | ", literals));
        return rule;
    }

    // The kinds of JSON value (object, array, string, number, boolean, null) a schema that Visit accepted allows.
    private HashSet<string> Kinds(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            JsonPointer.TryResolve(_document, reference.GetString()!, out var definition);
            return Kinds(definition);
        }

        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches))
            {
                return branches.EnumerateArray().SelectMany(Kinds).ToHashSet(StringComparer.Ordinal);
            }
        }

        IReadOnlyList<string> types = schema.TryGetProperty("type", out _) ? ReadTypes(schema, JsonPointer.Root) : _typeNames;
        var values = schema.TryGetProperty("enum", out var listed) ? listed.EnumerateArray().ToList()
            : schema.TryGetProperty("const", out var single) ? [single]
            : null;
        if (values is null)
        {
            return types.Select(type => type == "integer" ? "number" : type).ToHashSet(StringComparer.Ordinal);
        }

        return values.Where(value => types.Any(type => Admits(type, value)))
            .Select(value => value.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.Null => "null",
                _ => "boolean",
            })
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool Admits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsIntegral(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    // JSON Schema counts 1.0 as an integer.
    private static bool IsIntegral(JsonElement number) =>
        number.TryGetDecimal(out var exact) ? exact == decimal.Truncate(exact) : double.IsInteger(number.GetDouble());

    private static List<string> ReadTypes(JsonElement schema, string pointer)
    {
        var type = schema.GetProperty("type");
        var names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array when type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                type.EnumerateArray().Select(t => t.GetString()!).Distinct(StringComparer.Ordinal).ToList(),
            _ => throw new SchemaNotSupportedException("type", pointer, "must be a type name or a non-empty array of type names"),
        };
        foreach (var unknown in names.Where(name => !_typeNames.Contains(name)))
        {
            throw new SchemaNotSupportedException("type", pointer, $"'{unknown}' is not a JSON Schema type");
        }

        return names;
    }

    private static HashSet<string> ReadRequired(JsonElement schema, string pointer)
    {
        if (!schema.TryGetProperty("required", out var required))
        {
            return [];
        }

        if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(name => name.ValueKind != JsonValueKind.String))
        {
            throw new SchemaNotSupportedException("required", pointer, "must be an array of property names");
        }

        return required.EnumerateArray().Select(name => name.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static int? ReadCount(JsonElement schema, string keyword, string pointer)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !IsIntegral(value) || value.GetDouble() < 0)
        {
            throw new SchemaNotSupportedException(keyword, pointer, "must be a non-negative integer");
        }

        // Counts beyond any grammar bound are capped later anyway; this only keeps them inside an int.
        return (int)Math.Min(value.GetDouble(), int.MaxValue);
    }
}
