using System.Globalization;
using System.Text.Json;

namespace DocExtract.Schemas.Rules;

/// <summary>
/// A place in the extracted data named by a rule: a JSON Pointer (RFC 6901, "/line_items/0/amount") in which a token
/// "*" stands for every item of an array ("/line_items/*/amount").
/// </summary>
public sealed class RulePath
{
    private readonly string[] _tokens;

    private RulePath(string text, string[] tokens)
    {
        Text = text;
        _tokens = tokens;
    }

    public string Text { get; }

    public bool HasWildcard => _tokens.Contains("*");

    public override string ToString() => Text;

    /// <summary>Reads a path, or says what is wrong with it.</summary>
    public static RulePath Parse(string text)
    {
        if (text.Length == 0 || text[0] != '/')
        {
            throw new FormatException($"'{text}' is not a JSON Pointer: it must start with '/' (e.g. \"/total\")");
        }

        var tokens = text[1..].Split('/')
            .Select(raw => raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .ToArray();
        if (tokens.Any(token => token.Length == 0))
        {
            throw new FormatException($"'{text}' has an empty step");
        }

        return new RulePath(text, tokens);
    }

    /// <summary>Every value the path reaches in <paramref name="data"/>, with its concrete pointer. A step that is
    /// missing or null ends that branch: the result lists only what is there.</summary>
    public IReadOnlyList<(string Pointer, JsonElement Value)> Find(JsonElement data)
    {
        var found = new List<(string, JsonElement)>();
        Walk(data, 0, "", found);
        return found;
    }

    /// <summary>The one value of a path without wildcards, or null when it is missing or JSON null.</summary>
    public JsonElement? FindOne(JsonElement data)
    {
        var found = Find(data);
        return found.Count == 1 && found[0].Value.ValueKind != JsonValueKind.Null ? found[0].Value : null;
    }

    /// <summary>The schemas the path can reach from the root schema, or the first step no schema declares.</summary>
    public IReadOnlyList<JsonElement> ResolveIn(JsonElement schemaRoot)
    {
        var current = new List<JsonElement> { schemaRoot };
        var walked = "";
        foreach (var token in _tokens)
        {
            var next = new List<JsonElement>();
            foreach (var schema in current.SelectMany(s => Expand(schemaRoot, s, 0)))
            {
                if (token == "*" || IsIndex(token))
                {
                    if (schema.TryGetProperty("items", out var items))
                    {
                        next.Add(items);
                    }
                }
                else if (schema.TryGetProperty("properties", out var properties)
                         && properties.ValueKind == JsonValueKind.Object
                         && properties.TryGetProperty(token, out var property))
                {
                    next.Add(property);
                }
            }

            walked += "/" + token;
            if (next.Count == 0)
            {
                throw new FormatException(token == "*" || IsIndex(token)
                    ? $"'{Text}' steps into '{walked}' as an array item, but the schema has no array there"
                    : $"'{Text}' names '{walked}', which the schema does not declare");
            }

            current = next;
        }

        return [.. current.SelectMany(s => Expand(schemaRoot, s, 0))];
    }

    /// <summary>The JSON types a schema reached by <see cref="ResolveIn"/> allows ("number", "string", ...); empty
    /// when they are given by enum or const rather than type.</summary>
    public static HashSet<string> TypesOf(IEnumerable<JsonElement> schemas)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            if (!schema.TryGetProperty("type", out var type))
            {
                continue;
            }

            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                types.UnionWith(type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            }
        }

        return types;
    }

    // A schema that is a $ref or an anyOf/oneOf stands for its targets; the converter has already refused recursion,
    // the depth limit only guards against a schema that reaches this before the converter has seen it.
    private static IEnumerable<JsonElement> Expand(JsonElement root, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > 32)
        {
            yield break;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String
            && JsonPointer.TryResolve(root, reference.GetString()!, out var target))
        {
            foreach (var expanded in Expand(root, target, depth + 1))
            {
                yield return expanded;
            }

            yield break;
        }

        var branched = false;
        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                branched = true;
                foreach (var expanded in branches.EnumerateArray().SelectMany(branch => Expand(root, branch, depth + 1)))
                {
                    yield return expanded;
                }
            }
        }

        if (!branched)
        {
            yield return schema;
        }
    }

    private void Walk(JsonElement node, int step, string pointer, List<(string, JsonElement)> found)
    {
        if (step == _tokens.Length)
        {
            found.Add((pointer, node));
            return;
        }

        var token = _tokens[step];
        if (token == "*")
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item, step + 1, JsonPointer.Append(pointer, index++), found);
                }
            }
        }
        else if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(token, out var child))
        {
            Walk(child, step + 1, JsonPointer.Append(pointer, token), found);
        }
        else if (node.ValueKind == JsonValueKind.Array && IsIndex(token)
                 && int.Parse(token, CultureInfo.InvariantCulture) is var index && index < node.GetArrayLength())
        {
            Walk(node[index], step + 1, JsonPointer.Append(pointer, index), found);
        }
    }

    private static bool IsIndex(string token) =>
        token.Length is > 0 and < 10 && token.All(char.IsAsciiDigit) && (token == "0" || token[0] != '0');
}
