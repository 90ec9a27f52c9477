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
        var renderer = new Renderer(schema, text);
        renderer.Fields(schema, depth: 0);
        renderer.Definitions();
        return text.ToString();
    }

    // A definition referred to from more than one place is described once, under "Definitions", and the fields that use
    // it name it. Writing it out at every use made the prompt double per level of a chain of definitions that each
    // refer twice to the next: 2.2 KB of schema gave 89,750 tokens of instructions at depth 12 (issue #15). A
    // definition used once is written out where it is used, as before. So every part of the schema is written at most
    // once, and the instructions grow linearly with the schema.
    private sealed class Renderer(JsonElement document, StringBuilder text)
    {
        private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
        private readonly HashSet<string> _phrasing = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _shared = SharedDefinitions(document);

        public void Fields(JsonElement schema, int depth)
        {
            var objectSchema = Resolve(schema, out var reference);
            if (objectSchema.ValueKind != JsonValueKind.Object
                || !objectSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
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
                Fields(ItemsOrSelf(property.Value), depth + 1);
            }

            if (reference is not null)
            {
                _expanding.Remove(reference);
            }
        }

        public void Definitions()
        {
            if (_shared.Count == 0)
            {
                return;
            }

            text.Append("\nDefinitions (named by the fields above):\n");
            foreach (var (pointer, name) in _shared)
            {
                JsonPointer.TryResolve(document, pointer, out var definition);
                text.Append("- ").Append(name).Append(" (").Append(Phrase(definition)).Append(')');
                if (Text(definition, "description") is { } description)
                {
                    text.Append(": ").Append(description);
                }

                text.Append('\n');
                _expanding.Add(pointer);
                Fields(ItemsOrSelf(definition), 1);
                _expanding.Remove(pointer);
            }
        }

        // What a field's nested fields are listed from: the items of an array, else the field itself.
        private JsonElement ItemsOrSelf(JsonElement schema) =>
            Resolve(schema, out _) is { ValueKind: JsonValueKind.Object } nested
            && nested.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object ? items : schema;

        // The object (or array) a field holds once references and "or null" alternatives are looked through; a shared
        // definition is not looked into, as it is described under its own name.
        private JsonElement Resolve(JsonElement schema, out string? reference)
        {
            reference = null;
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return schema;
            }

            if (schema.TryGetProperty("$ref", out var target) && target.GetString() is { } pointer
                && !_shared.ContainsKey(pointer) && JsonPointer.TryResolve(document, pointer, out var definition))
            {
                if (!_expanding.Add(pointer))
                {
                    return default;
                }

                var resolved = Resolve(definition, out var inner);
                _expanding.Remove(pointer);
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
                        if (resolved.ValueKind == JsonValueKind.Object
                            && (resolved.TryGetProperty("properties", out _) || resolved.TryGetProperty("items", out _)))
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

            if (schema.TryGetProperty("$ref", out var target) && target.GetString() is { } pointer)
            {
                if (_shared.TryGetValue(pointer, out var name))
                {
                    return name;
                }

                if (!JsonPointer.TryResolve(document, pointer, out var definition) || !_phrasing.Add(pointer))
                {
                    return "any value";
                }

                var phrase = Phrase(definition);
                _phrasing.Remove(pointer);
                return phrase;
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

        // The field's own description first, then that of the definition it refers to, if that adds anything (a shared
        // definition's is given once, under Definitions).
        private string? Description(JsonElement schema)
        {
            var own = Text(schema, "description");
            var referenced = schema.TryGetProperty("$ref", out var target) && target.GetString() is { } pointer
                && !_shared.ContainsKey(pointer) && JsonPointer.TryResolve(document, pointer, out var definition)
                ? Text(definition, "description")
                : null;
            return own is null ? referenced : referenced is null || referenced == own ? own : $"{own} {referenced}";
        }

        // The definitions referred to from two places or more, in order of first reference, with the names the prompt
        // gives them: the definition's key, or its whole pointer where two containers use the same key.
        private static Dictionary<string, string> SharedDefinitions(JsonElement document)
        {
            var uses = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new List<string>();
            CountReferences(document, uses, order);
            var shared = order.Where(pointer => uses[pointer] > 1 && JsonPointer.TryResolve(document, pointer, out _)).ToList();
            var keys = shared.Select(pointer => pointer[(pointer.LastIndexOf('/') + 1)..]).ToList();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var index = 0; index < shared.Count; index++)
            {
                var key = keys[index];
                names[shared[index]] = keys.Count(other => other == key) > 1 || !PlainKey().IsMatch(key) ? GbnfText.JsonString(shared[index]) : key;
            }

            return names;
        }

        private static void CountReferences(JsonElement node, Dictionary<string, int> uses, List<string> order)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in node.EnumerateObject())
                {
                    if (member.Name == "$ref" && member.Value.ValueKind == JsonValueKind.String)
                    {
                        var pointer = member.Value.GetString()!;
                        if (uses.TryGetValue(pointer, out var count))
                        {
                            uses[pointer] = count + 1;
                        }
                        else
                        {
                            uses[pointer] = 1;
                            order.Add(pointer);
                        }
                    }
                    else
                    {
                        CountReferences(member.Value, uses, order);
                    }
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    CountReferences(item, uses, order);
                }
            }
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
