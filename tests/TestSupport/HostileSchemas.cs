using System.Globalization;
using System.Text;

namespace DocExtract.TestSupport;

/// <summary>
/// The schemas of issue #15's hostile tester, generated at any size: each made an unbounded amount of work out of a
/// small request before the schema limits (Schemas:*) existed.
/// </summary>
public static class HostileSchemas
{
    /// <summary>An object with <paramref name="count"/> optional string properties (20,000 took 10 minutes and 11.5 GB).</summary>
    public static string ManyOptionalProperties(int count, int required = 0) => Document(
        Properties(Enumerable.Range(0, count).Select(i => ($"p{i}", """{ "type": "string" }"""))),
        required: Enumerable.Range(count - required, required).Select(i => $"p{i}"));

    /// <summary>One property whose enum has <paramref name="count"/> strings (90,000 took 128 s to accept).</summary>
    public static string LongEnum(int count) => Document(Properties([("kind", $$"""{ "enum": [{{
        string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"v{i}\""))}}] }""")]));

    /// <summary>
    /// <paramref name="depth"/> definitions, each with two properties referring to the next: 2.2 KB at depth 20, and a
    /// prompt that doubled per level where each reference was written out in full.
    /// </summary>
    public static string ReferenceChain(int depth)
    {
        var definitions = Enumerable.Range(0, depth).Select(i => (
            $"d{i}",
            i == depth - 1
                ? """{ "type": "object", "properties": { "leaf": { "type": "string", "description": "The end." } } }"""
                : $$"""{ "type": "object", "description": "Level {{i}}.", "properties": { "left": { "$ref": "#/$defs/d{{i + 1}}" }, "right": { "$ref": "#/$defs/d{{i + 1}}" } } }"""));
        return Document(Properties([("top", """{ "$ref": "#/$defs/d0" }""")]), definitions: Properties(definitions));
    }

    /// <summary>Objects nested <paramref name="depth"/> levels deep, each in the one property of its parent.</summary>
    public static string Nested(int depth)
    {
        var inner = """{ "type": "string" }""";
        for (var level = 0; level < depth; level++)
        {
            inner = $$"""{ "type": "object", "properties": { "in": {{inner}} } }""";
        }
        return Document(Properties([("outer", inner)]));
    }

    /// <summary><paramref name="count"/> definitions, each used by one property.</summary>
    public static string ManyDefinitions(int count) => Document(
        Properties(Enumerable.Range(0, count).Select(i => ($"p{i}", $$"""{ "$ref": "#/$defs/d{{i}}" }"""))),
        definitions: Properties(Enumerable.Range(0, count).Select(i => ($"d{i}", """{ "type": "integer" }"""))));

    /// <summary>Strings whose maxLength are all different, each a rule that llama.cpp expands to that many copies.</summary>
    public static string ManyLongStrings(int count, int maxLength) => Document(
        Properties(Enumerable.Range(0, count).Select(i => ($"p{i}", $$"""{ "type": "string", "maxLength": {{maxLength - i}} }"""))));

    /// <summary>One property with a long description: the field instructions of the prompt grow with it.</summary>
    public static string LongDescription(int characters) => Document(
        Properties([("note", $$"""{ "type": "string", "description": "{{new string('x', characters)}}" }""")]));

    /// <summary>A property whose const (or enum value) is the given JSON string literal, e.g. "\u0000".</summary>
    public static string WithConst(string jsonLiteral, string keyword = "const") => Document(Properties([
        ("marker", keyword == "enum" ? $$"""{ "enum": ["ok", {{jsonLiteral}}] }""" : $$"""{ "const": {{jsonLiteral}} }"""),
    ]));

    private static string Properties(IEnumerable<(string Name, string Schema)> properties) =>
        "{ " + string.Join(", ", properties.Select(p => $"\"{p.Name}\": {p.Schema}")) + " }";

    private static string Document(string properties, IEnumerable<string>? required = null, string? definitions = null)
    {
        var text = new StringBuilder("""
            { "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Hostile", "description": "Made by a test.",
              "type": "object", "additionalProperties": false,
            """);
        text.Append(CultureInfo.InvariantCulture, $"\"properties\": {properties}");
        if (required?.ToList() is { Count: > 0 } names)
        {
            text.Append(", \"required\": [").Append(string.Join(", ", names.Select(n => $"\"{n}\""))).Append(']');
        }
        if (definitions is not null)
        {
            text.Append(", \"$defs\": ").Append(definitions);
        }
        return text.Append(" }").ToString();
    }
}
