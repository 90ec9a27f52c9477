using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocExtract.Schemas;

/// <summary>
/// A GBNF grammar for llama.cpp (grammars/README.md) whose <c>root</c> rule produces exactly the JSON documents a
/// schema describes, within the bounds of <see cref="GbnfOptions"/>: compact or pretty-printed, properties in schema
/// order, optional properties omissible, nothing undeclared.
/// </summary>
public sealed partial record GbnfGrammar(string Text)
{
    private static readonly JsonDocumentOptions _strictJson = new() { AllowDuplicateProperties = false };

    /// <exception cref="SchemaNotSupportedException">The schema uses a keyword the grammar cannot enforce.</exception>
    /// <exception cref="JsonException">The text is not JSON, or repeats a property name.</exception>
    public static GbnfGrammar FromJsonSchema(string schemaJson, GbnfOptions? options = null)
    {
        using var document = JsonDocument.Parse(schemaJson, _strictJson);
        return FromJsonSchema(document.RootElement, options);
    }

    /// <exception cref="SchemaNotSupportedException">The schema uses a keyword the grammar cannot enforce.</exception>
    public static GbnfGrammar FromJsonSchema(JsonElement schema, GbnfOptions? options = null)
    {
        options ??= GbnfOptions.Default;
        options.EnsureValid();
        return new GbnfGrammar(new SchemaToGbnf(schema, options).Convert());
    }

    /// <summary>
    /// The grammar's size in characters, with each bounded repetition <c>x{m,n}</c> counted as the n copies of x that
    /// llama.cpp's parser writes out for it: a short text can stand for a large parsed grammar.
    /// </summary>
    public long ExpandedSize()
    {
        long size = Text.Length;
        foreach (Match repetition in Repetition().Matches(Text))
        {
            var most = repetition.Groups[3].Success ? repetition.Groups[3].Value : repetition.Groups[2].Value;
            size += long.Parse(most, CultureInfo.InvariantCulture) * repetition.Groups[1].Length;
        }

        return size;
    }

    public override string ToString() => Text;

    // An item (a character class, a literal, a rule name or a group's closing parenthesis) and its {m} or {m,n}.
    [GeneratedRegex("""(\[(?:[^\]\\]|\\.)*\]|"(?:[^"\\]|\\.)*"|[a-z0-9-]+|\))\{([0-9]+)(?:,([0-9]+))?\}""")]
    private static partial Regex Repetition();
}
