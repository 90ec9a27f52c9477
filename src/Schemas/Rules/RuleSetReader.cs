using System.Text.Json;

namespace DocExtract.Schemas.Rules;

/// <summary>
/// Reads the <c>x-docextract-rules</c> list of a schema and checks it against the schema itself: an unknown kind, a
/// misspelt property or a path the schema does not declare is a schema error when the file loads, not a rule that
/// silently never fires.
/// </summary>
public static class RuleSetReader
{
    public const string Keyword = "x-docextract-rules";

    private const string Pointer = "#/" + Keyword;

    private static readonly string[] _numeric = ["number", "integer"];
    private static readonly string[] _text = ["string"];

    private static readonly Dictionary<string, string[]> _properties = new(StringComparer.Ordinal)
    {
        ["sum"] = ["kind", "name", "items", "plus", "minus", "equals", "tolerance"],
        ["sum-of"] = ["kind", "name", "fields", "equals", "tolerance"],
        ["date-order"] = ["kind", "name", "fields"],
        ["iban"] = ["kind", "name", "field"],
        ["eu-vat"] = ["kind", "name", "field"],
    };

    /// <summary>The rules of a schema; none when it has no <c>x-docextract-rules</c>.</summary>
    /// <exception cref="SchemaNotSupportedException">The list, or one rule in it, is wrong; the message says where.</exception>
    public static IReadOnlyList<DocumentRule> Read(JsonElement schemaRoot)
    {
        if (schemaRoot.ValueKind != JsonValueKind.Object || !schemaRoot.TryGetProperty(Keyword, out var list))
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaNotSupportedException(Keyword, JsonPointer.Root, "must be an array of rules");
        }

        var rules = new List<DocumentRule>();
        var index = 0;
        foreach (var rule in list.EnumerateArray())
        {
            var pointer = JsonPointer.Append(Pointer, index++);
            try
            {
                rules.Add(ReadRule(rule, schemaRoot));
            }
            catch (FormatException problem)
            {
                throw new SchemaNotSupportedException(Keyword, pointer, problem.Message);
            }
        }

        var twice = rules.GroupBy(rule => rule.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (twice is not null)
        {
            throw new SchemaNotSupportedException(Keyword, Pointer,
                $"two rules are named '{twice.Key}'; give them distinct \"name\"s so their results can be told apart");
        }

        return rules;
    }

    private static DocumentRule ReadRule(JsonElement rule, JsonElement schemaRoot)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a rule must be an object with a \"kind\"");
        }

        var kind = rule.TryGetProperty("kind", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : null;
        if (kind is null || !_properties.TryGetValue(kind, out var allowed))
        {
            throw new FormatException($"\"kind\" must be one of {string.Join(", ", _properties.Keys)}; got {(kind is null ? "none" : $"'{kind}'")}");
        }

        foreach (var property in rule.EnumerateObject().Where(p => !allowed.Contains(p.Name)))
        {
            throw new FormatException($"a '{kind}' rule has no property \"{property.Name}\"; it takes {string.Join(", ", allowed)}");
        }

        string? name = null;
        if (rule.TryGetProperty("name", out var named))
        {
            name = named.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(named.GetString())
                ? named.GetString()
                : throw new FormatException("\"name\" must be a non-empty string");
        }

        switch (kind)
        {
            case "sum":
            {
                var items = Path(rule, "items", schemaRoot, _numeric);
                if (!items.HasWildcard)
                {
                    throw new FormatException($"\"items\" '{items}' must step through an array with '*' (e.g. \"/line_items/*/amount\"); use 'sum-of' to add single fields");
                }

                var total = Single(Path(rule, "equals", schemaRoot, _numeric), "equals");
                return new SumRule(name ?? $"sum {items} = {total}", kind, [items], total, Tolerance(rule))
                {
                    Plus = Adjustments(rule, "plus", schemaRoot),
                    Minus = Adjustments(rule, "minus", schemaRoot),
                };
            }

            case "sum-of":
            {
                var fields = Paths(rule, "fields", schemaRoot, _numeric, minimum: 1);
                var total = Single(Path(rule, "equals", schemaRoot, _numeric), "equals");
                return new SumRule(name ?? $"{string.Join(" + ", fields)} = {total}", kind, fields, total, Tolerance(rule));
            }

            case "date-order":
            {
                var fields = Paths(rule, "fields", schemaRoot, _text, minimum: 2);
                foreach (var field in fields)
                {
                    Single(field, "fields");
                }

                return new DateOrderRule(name ?? $"{string.Join(" <= ", fields)}", fields);
            }

            default:
            {
                var field = Single(Path(rule, "field", schemaRoot, _text), "field");
                return new IdentifierRule(name ?? $"{kind} {field}", kind, field);
            }
        }
    }

    // Optional single values added to or subtracted from a sum (#12); none when the property is absent.
    private static IReadOnlyList<RulePath> Adjustments(JsonElement rule, string property, JsonElement schemaRoot) =>
        rule.TryGetProperty(property, out _)
            ? [.. Paths(rule, property, schemaRoot, _numeric, minimum: 1).Select(path => Single(path, property))]
            : [];

    private static RulePath Single(RulePath path, string property) => path.HasWildcard
        ? throw new FormatException($"\"{property}\" '{path}' must name one value; '*' is allowed in the items of a sum only")
        : path;

    private static IReadOnlyList<RulePath> Paths(JsonElement rule, string property, JsonElement schemaRoot, string[] types, int minimum)
    {
        if (!rule.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() < minimum)
        {
            throw new FormatException($"\"{property}\" must be an array of at least {minimum} JSON Pointer(s)");
        }

        return [.. list.EnumerateArray().Select(item => Check(item, property, schemaRoot, types))];
    }

    private static RulePath Path(JsonElement rule, string property, JsonElement schemaRoot, string[] types) =>
        rule.TryGetProperty(property, out var value)
            ? Check(value, property, schemaRoot, types)
            : throw new FormatException($"\"{property}\" is missing");

    private static RulePath Check(JsonElement value, string property, JsonElement schemaRoot, string[] types)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"\"{property}\" must hold JSON Pointer strings, e.g. \"/total\"");
        }

        var path = RulePath.Parse(value.GetString()!);
        var declared = RulePath.TypesOf(path.ResolveIn(schemaRoot));
        if (declared.Count > 0 && !declared.Overlaps(types))
        {
            throw new FormatException($"'{path}' is declared as {string.Join(" or ", declared)}, but this rule reads it as {string.Join(" or ", types)}");
        }

        return path;
    }

    private static decimal Tolerance(JsonElement rule)
    {
        if (!rule.TryGetProperty("tolerance", out var tolerance))
        {
            return 0m;
        }

        return tolerance.ValueKind == JsonValueKind.Number && tolerance.TryGetDecimal(out var value) && value >= 0
            ? value
            : throw new FormatException($"\"tolerance\" must be a number of 0 or more; got {tolerance.GetRawText()}");
    }
}
