using System.ComponentModel.DataAnnotations;

namespace DocExtract.Schemas;

/// <summary>
/// Bounds on a document type stored through the API (PUT /schemas/{name}), settings of the <c>Schemas</c> section.
/// Any tenant's admin can send a schema, and a few hundred kilobytes of one made the API work for minutes and run out
/// of memory, or made every prompt of its type tens of thousands of tokens long (issue #15). Everything but the last
/// two is counted on the parsed JSON in one pass, before the grammar, the validator or the prompt is built; those two
/// measure what was built, which the others keep small. The built-in types of the schema folder are the operator's own
/// files and are not held to them.
/// </summary>
public sealed class SchemaLimits
{
    public const string Section = "Schemas";

    /// <summary>Properties of one object: what a model is asked to fill in one go.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPropertiesPerObject { get; set; } = 200;

    /// <summary>Properties of all objects together, those of definitions included.</summary>
    [Range(1, int.MaxValue)]
    public int MaxProperties { get; set; } = 2000;

    /// <summary>Values of one enum.</summary>
    [Range(1, int.MaxValue)]
    public int MaxEnumValues { get; set; } = 1000;

    /// <summary>Branches of one anyOf or oneOf (oneOf compares every pair).</summary>
    [Range(1, int.MaxValue)]
    public int MaxAlternatives { get; set; } = 50;

    /// <summary>Levels of objects and arrays in a document of the type, counted through references.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDepth { get; set; } = 16;

    /// <summary>Named schemas under $defs and definitions together.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDefinitions { get; set; } = 200;

    /// <summary>
    /// Size of the GBNF grammar in characters, with each bounded repetition <c>x{m,n}</c> counted as the n copies
    /// llama.cpp's parser expands it to.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxGrammarChars { get; set; } = 1_000_000;

    /// <summary>
    /// Characters of the field instructions the prompt gives for the type (title, description and one line per
    /// field), about four to a token: they are part of every prompt of the type and leave less room for the document
    /// (16,000 is about half of the default Llm:ContextSize).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxInstructionChars { get; set; } = 16_000;
}

/// <summary>A schema over one of <see cref="SchemaLimits"/>: which, its setting, and how far over.</summary>
public sealed class SchemaLimitException(string what, string setting, long limit, long actual, string pointer)
    : Exception($"has {what} at {pointer}, over the limit of {limit} ({setting})")
{
    /// <summary>The setting's full name, e.g. <c>Schemas:MaxEnumValues</c>.</summary>
    public string Setting { get; } = setting;

    public long Limit { get; } = limit;

    public long Actual { get; } = actual;

    public string Pointer { get; } = pointer;
}
