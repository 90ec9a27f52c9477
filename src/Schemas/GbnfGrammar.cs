using System.Text.Json;

namespace DocExtract.Schemas;

/// <summary>
/// A GBNF grammar for llama.cpp (grammars/README.md) whose <c>root</c> rule produces exactly the JSON documents a
/// schema describes, within the bounds of <see cref="GbnfOptions"/>: compact or pretty-printed, properties in schema
/// order, optional properties omissible, nothing undeclared.
/// </summary>
public sealed record GbnfGrammar(string Text)
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

    public override string ToString() => Text;
}
