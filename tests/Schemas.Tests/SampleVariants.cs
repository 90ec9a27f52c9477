using System.Text.Json.Nodes;

namespace DocExtract.Schemas.Tests;

// Breaks a valid sample document in one way, chosen by walking it beside its schema, so every built-in type is
// checked for the same mistakes without a hand-written list per type. A sample lacking the field a mistake needs
// fails the test: the samples are meant to exercise all of them.
internal static class SampleVariants
{
    public const string MissingRequiredKey = "a required key left out";
    public const string ValueOutsideEnum = "a value outside its enum";
    public const string StringOverMaxLength = "a string one character over its maxLength";
    public const string ImpossibleDate = "the date 2026-13-40";
    public const string UndeclaredProperty = "an undeclared property";
    public const string UndeclaredNestedProperty = "an undeclared property in a nested object";

    public static IReadOnlyList<string> Kinds { get; } =
        [MissingRequiredKey, ValueOutsideEnum, StringOverMaxLength, ImpossibleDate, UndeclaredProperty, UndeclaredNestedProperty];

    public static string Make(string type, string kind)
    {
        var schema = JsonNode.Parse(TestFiles.Schema(type))!.AsObject();
        var sample = JsonNode.Parse(TestFiles.Sample(type))!.AsObject();
        var fields = Fields(schema, schema, sample).ToList();
        Field Find(Func<Field, bool> fits) =>
            fields.FirstOrDefault(fits) ?? throw new InvalidOperationException($"The {type} sample has no field for {kind}.");

        switch (kind)
        {
            case MissingRequiredKey:
                sample.Remove(schema["required"]!.AsArray()[0]!.GetValue<string>());
                break;
            case ValueOutsideEnum:
                Find(field => field.Schema["enum"] is not null && field.Value is JsonValue).Set("XXX");
                break;
            case StringOverMaxLength:
                var capped = Find(field => field.Schema["maxLength"] is not null && field.Value is JsonValue value && value.TryGetValue<string>(out _));
                capped.Set(new string('x', capped.Schema["maxLength"]!.GetValue<int>() + 1));
                break;
            case ImpossibleDate:
                Find(field => (string?)field.Schema["format"] == "date" && field.Value is not null).Set("2026-13-40");
                break;
            case UndeclaredProperty:
                sample["unexpected"] = "x";
                break;
            default:
                var holder = Find(field => field.Value is JsonObject || field.Value is JsonArray array && array.Any(item => item is JsonObject));
                var nested = holder.Value as JsonObject ?? holder.Value!.AsArray().OfType<JsonObject>().First();
                nested["unexpected"] = "x";
                break;
        }

        return sample.ToJsonString();
    }

    private sealed record Field(JsonObject Parent, string Key, JsonObject Schema)
    {
        public JsonNode? Value => Parent[Key];

        public void Set(string value) => Parent[Key] = value;
    }

    private static IEnumerable<Field> Fields(JsonObject root, JsonObject schema, JsonObject instance)
    {
        foreach (var (key, declared) in schema["properties"]?.AsObject() ?? [])
        {
            var value = instance[key];
            var resolved = Resolve(root, declared!.AsObject(), value);
            yield return new Field(instance, key, resolved);

            var nested = value is JsonArray array ? array.OfType<JsonObject>().Select(item => (item, Resolve(root, resolved["items"]!.AsObject(), item)))
                : value is JsonObject single ? [(single, resolved)]
                : [];
            foreach (var (item, itemSchema) in nested)
            {
                foreach (var field in Fields(root, itemSchema, item))
                {
                    yield return field;
                }
            }
        }
    }

    // Follows $ref and picks the anyOf branch matching the value, which is as far as the built-in schemas go.
    private static JsonObject Resolve(JsonObject root, JsonObject schema, JsonNode? value)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var name = reference.GetValue<string>().Split('/')[^1];
            return Resolve(root, root["$defs"]![name]!.AsObject(), value);
        }

        if (schema["anyOf"] is JsonArray branches)
        {
            var wanted = value is JsonObject ? "object" : "null";
            return branches.Select(branch => Resolve(root, branch!.AsObject(), value))
                .FirstOrDefault(branch => branch["type"]?.ToJsonString().Contains(wanted, StringComparison.Ordinal) == true) ?? schema;
        }

        return schema;
    }
}
