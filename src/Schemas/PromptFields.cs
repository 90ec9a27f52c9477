using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocExtract.Schemas;

/// <summary>
/// Renders a schema as the part of the prompt that tells the model what to extract: the type's title and description,
/// then one line per field with its type, whether it is required, and its description, nested fields indented below
/// their parent. The grammar fixes the syntax; this text is the model's only source for what each field means.
/// </summary>
/// <example>
/// <code>
/// - invoice_number (string or null, required): The invoice number exactly as printed.
/// - seller (object or null, required): The party that issued the invoice.
///   - name (string, required): Name of the company or person.
/// </code>
/// </example>
public static partial class PromptFields
{
    private static readonly Dictionary<string, string> _plurals = new(StringComparer.Ordinal)
    {
        ["object"] = "objects", ["string"] = "strings", ["number"] = "numbers", ["integer"] = "integers",
        ["boolean"] = "booleans", ["date YYYY-MM-DD"] = "dates YYYY-MM-DD",
    };

    public static string Render(DocumentSchema schema) => Render(schema.Root);

    public static string Render(JsonElement schema)
    {
        var text = new StringBuilder();
        if (Text(schema, "title") is { } title)
        {
            text.Append("# ").Append(title).Append('\n');
        }

        if (Text(schema, "description") is { } description)
        {
            text.Append(description).Append('\n');
        }

        if (text.Length > 0)
        {
            text.Append('\n');
        }

        text.Append("Fields:\n");
        new Renderer(schema, text).Fields(schema, depth: 0);
        return text.ToString();
    }

    private sealed class Renderer(JsonElement document, StringBuilder text)
    {
        private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);

        public void Fields(JsonElement schema, int depth)
        {
            var objectSchema = Resolve(schema, out var reference);
            if (!objectSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            // A recursive schema (never one the catalog loads) is listed once, not forever.
            if (reference is not null && !_expanding.Add(reference))
            {
                return;
            }

            var required = objectSchema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
                ? names.EnumerateArray().Select(name => name.GetString()).ToHashSet(StringComparer.Ordinal)
                : [];
            foreach (var property in properties.EnumerateObject())
            {
                text.Append(' ', depth * 2).Append("- ").Append(Key(property.Name))
                    .Append(" (").Append(Phrase(property.Value)).Append(", ")
                    .Append(required.Contains(property.Name) ? "required" : "optional").Append(')');
                if (Description(property.Value) is { Length: > 0 } description)
                {
                    text.Append(": ").Append(description);
                }

                text.Append('\n');
                var nested = Resolve(property.Value, out _);
                Fields(nested.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object ? items : property.Value, depth + 1);
            }

            if (reference is not null)
            {
                _expanding.Remove(reference);
            }
        }

        // The object (or array) a field holds once references and "or null" alternatives are looked through.
        private JsonElement Resolve(JsonElement schema, out string? reference)
        {
            reference = null;
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return schema;
            }

            if (schema.TryGetProperty("$ref", out var target) && target.GetString() is { } pointer
                && JsonPointer.TryResolve(document, pointer, out var definition))
            {
                var resolved = Resolve(definition, out var inner);
                reference = inner ?? pointer;
                return resolved;
            }

            foreach (var keyword in (string[])["anyOf", "oneOf"])
            {
                if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
                {
                    foreach (var branch in branches.EnumerateArray())
                    {
                        var resolved = Resolve(branch, out reference);
                        if (resolved.TryGetProperty("properties", out _) || resolved.TryGetProperty("items", out _))
                        {
                            return resolved;
                        }
                    }
                }
            }

            return schema;
        }

        private string Phrase(JsonElement schema)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return "any value";
            }

            if (schema.TryGetProperty("$ref", out var target) && JsonPointer.TryResolve(document, target.GetString() ?? "", out var definition))
            {
                return Phrase(definition);
            }

            foreach (var keyword in (string[])["anyOf", "oneOf"])
            {
                if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
                {
                    return string.Join(" or ", branches.EnumerateArray().Select(Phrase).Distinct());
                }
            }

            if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                return "one of " + string.Join(", ", values.EnumerateArray().Select(value => value.GetRawText()));
            }

            if (schema.TryGetProperty("const", out var constant))
            {
                return "always " + constant.GetRawText();
            }

            if (!schema.TryGetProperty("type", out var type))
            {
                return "any value";
            }

            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString() ?? "") : [type.GetString() ?? ""];
            return string.Join(" or ", types.Select(name => TypePhrase(schema, name)));
        }

        private string TypePhrase(JsonElement schema, string type)
        {
            if (type == "string" && schema.TryGetProperty("format", out var format))
            {
                return format.GetString() switch
                {
                    "date" => "date YYYY-MM-DD",
                    "date-time" => "date-time YYYY-MM-DDThh:mm:ssZ",
                    var other => $"string ({other})",
                };
            }

            if (type != "array")
            {
                return type;
            }

            if (!schema.TryGetProperty("items", out var items))
            {
                return "array";
            }

            var item = Phrase(items);
            return "array of " + (_plurals.TryGetValue(item, out var plural) ? plural : $"({item})");
        }

        // The field's own description first, then that of the definition it refers to, if that adds anything.
        private string? Description(JsonElement schema)
        {
            var own = Text(schema, "description");
            var referenced = schema.TryGetProperty("$ref", out var target)
                && JsonPointer.TryResolve(document, target.GetString() ?? "", out var definition)
                ? Text(definition, "description")
                : null;
            return own is null ? referenced : referenced is null || referenced == own ? own : $"{own} {referenced}";
        }
    }

    private static string? Text(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.String
            ? Whitespace().Replace(value.GetString()!, " ").Trim() is { Length: > 0 } text ? text : null
            : null;

    // Plain keys as they are; anything that could be misread (spaces, quotes, punctuation) as a JSON string.
    private static string Key(string name) => PlainKey().IsMatch(name) ? name : GbnfText.JsonString(name);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex PlainKey();
}
