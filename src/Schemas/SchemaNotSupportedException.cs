namespace DocExtract.Schemas;

/// <summary>
/// A schema uses something that cannot be honoured: a keyword the grammar cannot enforce, or one NJsonSchema would
/// skip during validation. Thrown instead of ignoring it, because an ignored keyword lets the model produce output
/// that the schema then rejects, or lets validation pass output that the schema forbids.
/// </summary>
public sealed class SchemaNotSupportedException(string keyword, string pointer, string reason)
    : Exception($"'{keyword}' at {pointer}: {reason}")
{
    /// <summary>The keyword at fault, e.g. <c>pattern</c>.</summary>
    public string Keyword { get; } = keyword;

    /// <summary>JSON Pointer of the schema object holding it, in URI-fragment form (<c>#/properties/total</c>).</summary>
    public string Pointer { get; } = pointer;
}
