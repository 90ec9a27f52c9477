using System.Text.Json;

namespace DocExtract.Persistence.Results;

/// <summary>
/// What a person needs to judge one value (#6): how sure the model was, and where the document says it.
/// <see cref="Unsupported"/> is a number or non-blank string found nowhere in the text: likely invented.
/// </summary>
public sealed record FieldTrust(string Pointer, JsonElement Value, double Confidence, Evidence? Evidence, bool Unsupported)
{
    /// <summary>Where a value was read rather than generated (#12): null for the model's values.</summary>
    public FieldSource? Source { get; init; }
}

/// <summary>Where a value occurs: the page, the character span [Start, End) in that page's extracted text, and the text there.</summary>
public sealed record Evidence(int Page, int Start, int End, string Quote)
{
    /// <summary>The span's boxes on the page, one per line of text it spans (#13); empty where its words have no boxes.</summary>
    public IReadOnlyList<PageBox> Boxes { get; init; } = [];
}

/// <summary>A value read from a document's attachment (#12): the route, the attachment's name and the value's XPath in it.</summary>
public sealed record FieldSource(string Route, string? Attachment, string? Path);

/// <summary>The document-level summary: the mean confidence and the least certain value.</summary>
public sealed record ConfidenceSummary(double? Mean, FieldTrust? Lowest, string Formula)
{
    /// <param name="formula">How the values' confidence was computed, in words.</param>
    public static ConfidenceSummary Of(IReadOnlyList<FieldTrust> fields, string formula) => new(
        fields.Count == 0 ? null : Math.Round(fields.Average(f => f.Confidence), 4),
        fields.Count == 0 ? null : fields.MinBy(f => f.Confidence),
        formula);
}
