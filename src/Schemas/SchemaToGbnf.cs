using System.Text.Json;
using static DocExtract.Schemas.GbnfText;

namespace DocExtract.Schemas;

// Walks a JSON Schema and builds a GBNF grammar that produces only documents the schema accepts: properties in schema
// order, no property the schema does not declare, every string, array and gap between tokens bounded. What it cannot
// enforce it refuses by name and place, instead of leaving it to the validator to find out after generation.
internal sealed partial class SchemaToGbnf
{
    private static readonly HashSet<string> _constraints = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "$ref", "anyOf", "oneOf", "properties", "required", "additionalProperties", "items",
        "minItems", "maxItems", "minLength", "maxLength", "format",
    };

    private readonly JsonElement _document;
    private readonly GbnfOptions _options;
    private readonly GbnfPrimitives _primitives;
    private readonly GbnfRuleSet _rules;
    private readonly Dictionary<string, string> _resolvedRefs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refsInProgress = new(StringComparer.Ordinal);
    private bool _rootRuleFree = true;

    public SchemaToGbnf(JsonElement document, GbnfOptions options)
    {
        _document = document;
        _options = options;
        _primitives = new GbnfPrimitives(options);
        _rules = new GbnfRuleSet(_primitives);
    }

    public string Convert()
    {
        var root = _rules.Reserve(GbnfRuleSet.RootName);
        if (_document.ValueKind == JsonValueKind.Object)
        {
            foreach (var keyword in _document.EnumerateObject().Where(k => SchemaKeywords.IsDefinitions(k.Name)))
            {
                if (keyword.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new SchemaNotSupportedException(keyword.Name, JsonPointer.Root, "must be an object of named schemas");
                }
            }
        }

        var expression = Visit(_document, JsonPointer.Root, root);
        if (expression != root)
        {
            _rules.Define(root, expression);
        }

        return _rules.Render();
    }

    // Returns a GBNF expression for one value: a rule name, or a short alternative of rule names and literals.
    private string Visit(JsonElement schema, string pointer, string name)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaNotSupportedException(schema.GetRawText(), pointer, schema.ValueKind is JsonValueKind.True
                or JsonValueKind.False ? "boolean schemas are not supported; write an object schema" : "a schema must be a JSON object");
        }

        var atRoot = pointer == JsonPointer.Root;
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!IsIgnorable(keyword.Name, atRoot) && !_constraints.Contains(keyword.Name))
            {
                throw new SchemaNotSupportedException(keyword.Name, pointer, SchemaKeywords.IsDefinitions(keyword.Name)
                    ? "definitions are supported at the root of the schema only"
                    : "the grammar cannot enforce this keyword, and ignoring it could produce documents the schema rejects");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            EnsureAlone(schema, pointer, "$ref");
            return VisitRef(reference, pointer);
        }

        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches))
            {
                EnsureAlone(schema, pointer, keyword);
                return VisitAlternatives(branches, pointer, name, keyword);
            }
        }

        foreach (var keyword in (string[])["enum", "const"])
        {
            if (schema.TryGetProperty(keyword, out _))
            {
                EnsureAlone(schema, pointer, keyword, "type");
                return VisitValues(schema, pointer, name, keyword);
            }
        }

        if (!schema.TryGetProperty("type", out _))
        {
            throw new SchemaNotSupportedException("type", pointer,
                "a schema without 'type', 'enum', 'const' or '$ref' allows any value, which has no bounded grammar");
        }

        var types = ReadTypes(schema, pointer);
        var distinct = types.Where(type => type != "integer" || !types.Contains("number")).ToList();
        if (distinct.Count > 1 && pointer == JsonPointer.Root)
        {
            // The root rule will be the alternative itself, so no alternative may become it.
            _rootRuleFree = false;
        }

        var alternatives = new List<string>();
        foreach (var type in distinct)
        {
            alternatives.Add(type switch
            {
                "object" => VisitObject(schema, pointer, name),
                "array" => VisitArray(schema, pointer, name),
                "string" => VisitString(schema, pointer),
                "number" => _primitives.Number,
                "integer" => _primitives.Integer,
                "boolean" => _primitives.Boolean,
                _ => _primitives.Null,
            });
        }

        return Alternatives(alternatives);
    }

    private string VisitObject(JsonElement schema, string pointer, string name)
    {
        if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind != JsonValueKind.False)
        {
            throw new SchemaNotSupportedException("additionalProperties", pointer,
                "only false is supported: the grammar produces the declared properties and nothing else");
        }

        var properties = schema.TryGetProperty("properties", out var declared) ? declared : default;
        if (properties.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            throw new SchemaNotSupportedException("properties", pointer, "must be an object of named schemas");
        }

        var required = ReadRequired(schema, pointer);
        var names = properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(property => property.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var missing in required.Where(property => !names.Contains(property)))
        {
            throw new SchemaNotSupportedException("required", pointer,
                $"'{missing}' is required but not declared in 'properties', so no document the grammar produces has it");
        }

        var rule = ClaimRule(name, pointer);
        var members = new List<Member>();
        if (properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                var child = rule == GbnfRuleSet.RootName ? property.Name : $"{rule}-{property.Name}";
                var kv = _rules.Reserve(child + "-kv");
                var value = Visit(property.Value, JsonPointer.Append(JsonPointer.Append(pointer, "properties"), property.Name), child);
                _rules.Define(kv, Sequence(Literal(JsonString(property.Name)), _primitives.Ws, "\":\"", _primitives.Ws, value));
                members.Add(new Member(child, kv, required.Contains(property.Name)));
            }
        }

        _rules.Define(rule, ObjectBody(members));
        return rule;
    }

    private sealed record Member(string Name, string Kv, bool Required);

    // Members appear in schema order; an optional one may be left out. A comma goes before every member but the first
    // one present, so the alternatives are "which member comes first": any optional member ahead of the first required
    // one, or that required one. Each alternative goes on with the members after it, and those tails are shared: the
    // rule "<member>-rest" is that member (after a comma, optional or not) followed by the rule of the next one, so the
    // grammar grows linearly with the members. Writing each alternative's tail out in full grew with the square of the
    // optional members: 20,000 of them took the API to 11.5 GB (issue #15).
    private string ObjectBody(List<Member> members)
    {
        var ws = _primitives.Ws;
        if (members.Count == 0)
        {
            return Sequence("\"{\"", ws, "\"}\"");
        }

        string Next(int index)
        {
            var next = Sequence(ws, "\",\"", ws, members[index].Kv);
            return members[index].Required ? next : $"( {next} )?";
        }

        var firstRequired = members.FindIndex(member => member.Required);
        var lastLead = firstRequired < 0 ? members.Count - 1 : firstRequired;
        var rests = new string[lastLead + 2];
        if (lastLead == 0)
        {
            // One possible first member: its tail is used once, so it stays in place.
            rests[1] = Sequence(Enumerable.Range(1, members.Count - 1).Select(Next));
        }
        else
        {
            // The members after the last possible first one follow it in every document: written out in place, twice.
            var fixedTail = Sequence(Enumerable.Range(lastLead + 1, members.Count - lastLead - 1).Select(Next));
            for (var index = 1; index <= lastLead; index++)
            {
                rests[index] = _rules.Reserve(members[index].Name + "-rest");
            }
            rests[lastLead + 1] = fixedTail;
            for (var index = lastLead; index >= 1; index--)
            {
                _rules.Define(rests[index], Sequence(Next(index), rests[index + 1]));
            }
        }

        var leads = Enumerable.Range(0, lastLead + 1).Select(i => Sequence(members[i].Kv, rests[i + 1])).ToList();
        return firstRequired < 0
            ? Sequence("\"{\"", ws, $"( {Alternatives(leads)} {ws} )?", "\"}\"")
            : Sequence("\"{\"", ws, Alternatives(leads), ws, "\"}\"");
    }

    private string VisitArray(JsonElement schema, string pointer, string name)
    {
        if (!schema.TryGetProperty("items", out var items))
        {
            throw new SchemaNotSupportedException("items", pointer,
                "an array needs an 'items' schema: without one any value is allowed, which has no bounded grammar");
        }

        var minItems = ReadCount(schema, "minItems", pointer) ?? 0;
        var maxItems = Math.Min(ReadCount(schema, "maxItems", pointer) ?? _options.DefaultMaxItems, GbnfOptions.MaxRepetition);
        if (minItems > maxItems)
        {
            throw new SchemaNotSupportedException("minItems", pointer,
                $"minItems {minItems} is above the most items the grammar allows ({maxItems})");
        }

        var rule = ClaimRule(name, pointer);
        var ws = _primitives.Ws;
        if (maxItems == 0)
        {
            _rules.Define(rule, Sequence("\"[\"", ws, "\"]\""));
            return rule;
        }

        var item = Visit(items, JsonPointer.Append(pointer, "items"), rule + "-item");
        var elements = item;
        if (maxItems > 1)
        {
            // The repeated part is a single rule reference: llama.cpp multiplies a repetition by the rules inside it
            // and refuses more than 2000 in all.
            var next = _rules.Reserve(rule + "-next");
            _rules.Define(next, Sequence(ws, "\",\"", ws, item));
            // The items get a rule of their own too: llama.cpp counts every rule a parenthesised group creates,
            // and a long repetition inside the optional group below would push that count past its 2000.
            elements = _rules.Reserve(rule + "-items");
            _rules.Define(elements, Sequence(item, Repeat(next, Math.Max(minItems - 1, 0), maxItems - 1)));
        }

        _rules.Define(rule, minItems > 0
            ? Sequence("\"[\"", ws, elements, ws, "\"]\"")
            : Sequence("\"[\"", ws, $"( {elements} {ws} )?", "\"]\""));
        return rule;
    }

    private string VisitString(JsonElement schema, string pointer)
    {
        var minLength = ReadCount(schema, "minLength", pointer) ?? 0;
        var declaredMax = ReadCount(schema, "maxLength", pointer);
        if (schema.TryGetProperty("format", out var format))
        {
            return VisitFormat(format, minLength, declaredMax, pointer);
        }

        var maxLength = Math.Min(declaredMax ?? _options.DefaultMaxStringLength, GbnfOptions.MaxRepetition);
        if (minLength > maxLength)
        {
            throw new SchemaNotSupportedException("minLength", pointer,
                $"minLength {minLength} is above the longest string the grammar allows ({maxLength})");
        }

        return _primitives.String(minLength, maxLength);
    }

    private string VisitFormat(JsonElement format, int minLength, int? maxLength, string pointer)
    {
        // The shortest and longest spelling each format's rule produces, quotes excluded.
        var (rule, shortest, longest) = format.ValueKind == JsonValueKind.String ? format.GetString() switch
        {
            "date" => (_primitives.Date, 10, 10),
            "date-time" => (_primitives.DateTime, 20, 35),
            _ => default,
        } : default;
        if (rule is null)
        {
            throw new SchemaNotSupportedException("format", pointer,
                $"format {format.GetRawText()} is not supported; the grammar knows 'date' and 'date-time'");
        }

        if (minLength > shortest || maxLength < longest)
        {
            throw new SchemaNotSupportedException(minLength > shortest ? "minLength" : "maxLength", pointer,
                $"cuts into the lengths of format '{format.GetString()}' ({shortest} to {longest} characters)");
        }

        return rule;
    }

    private string ClaimRule(string name, string pointer)
    {
        // The root schema's own rule is "root" itself, rather than a rule that "root" merely points to.
        if (pointer == JsonPointer.Root && _rootRuleFree)
        {
            _rootRuleFree = false;
            return GbnfRuleSet.RootName;
        }

        return _rules.Reserve(name);
    }

    private static bool IsIgnorable(string keyword, bool atRoot) =>
        SchemaKeywords.IsAnnotation(keyword, atRoot) || (atRoot && SchemaKeywords.IsDefinitions(keyword));

    // Keywords that decide the value on their own ($ref, anyOf, enum) may only sit beside annotations.
    private static void EnsureAlone(JsonElement schema, string pointer, string keyword, params string[] allowed)
    {
        foreach (var other in schema.EnumerateObject())
        {
            if (other.Name != keyword && !allowed.Contains(other.Name) && !IsIgnorable(other.Name, pointer == JsonPointer.Root))
            {
                throw new SchemaNotSupportedException(other.Name, pointer, $"is not supported beside '{keyword}'");
            }
        }
    }
}
