namespace DocExtract.Schemas;

// Which keywords only describe a schema (and so may be ignored by grammar and prompt alike) and which constrain it.
internal static class SchemaKeywords
{
    // The 2020-12 meta-data vocabulary plus $comment. "$schema" and "$id" count only at the root: an "$id" further
    // down would start a new resource and change what "#/$defs/..." resolves to.
    private static readonly HashSet<string> _annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment",
    };

    private static readonly HashSet<string> _rootAnnotations = new(StringComparer.Ordinal) { "$schema", "$id" };

    // Vendor keywords ("x-docextract-rules") carry our own metadata; JSON Schema gives them no meaning.
    public static bool IsAnnotation(string keyword, bool atRoot) =>
        _annotations.Contains(keyword)
        || (atRoot && _rootAnnotations.Contains(keyword))
        || keyword.StartsWith("x-", StringComparison.Ordinal);

    public static bool IsDefinitions(string keyword) => keyword is "$defs" or "definitions";
}
