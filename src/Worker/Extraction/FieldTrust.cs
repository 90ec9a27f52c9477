using System.Text.Json;
using DocExtract.Worker.TextExtraction;

namespace DocExtract.Worker.Extraction;

/// <summary>
/// What a person needs to judge one value (#6): how sure the model was, and where the document says it.
/// <see cref="Unsupported"/> is a number or non-blank string found nowhere in the text: likely invented.
/// </summary>
public sealed record FieldTrust(string Pointer, JsonElement Value, double Confidence, Evidence? Evidence, bool Unsupported)
{
    /// <summary>Where a value was read rather than generated (#12): null for the model's values.</summary>
    public FieldSource? Source { get; init; }

    /// <summary>The trust signals of every leaf value: its confidence, and its evidence searched on all pages.</summary>
    public static IReadOnlyList<FieldTrust> Of(IEnumerable<ScoredValue> values, IReadOnlyList<PageText> pages) =>
        [.. values.Select(v =>
        {
            var needed = EvidenceFinder.NeedsEvidence(v.Value);
            var evidence = needed ? EvidenceFinder.Find(v.Value, pages) : null;
            return new FieldTrust(v.Pointer, v.Value, Math.Round(v.Confidence, 4), evidence, needed && evidence is null);
        })];
}

/// <summary>A value read from a document's attachment (#12): the route, the attachment's name and the value's XPath in it.</summary>
public sealed record FieldSource(string Route, string? Attachment, string? Path);

/// <summary>The document-level summary: the mean confidence and the least certain value.</summary>
public sealed record ConfidenceSummary(double? Mean, FieldTrust? Lowest, string Formula)
{
    public static ConfidenceSummary Of(IReadOnlyList<FieldTrust> fields, string formula = FieldConfidence.Formula) => new(
        fields.Count == 0 ? null : Math.Round(fields.Average(f => f.Confidence), 4),
        fields.Count == 0 ? null : fields.MinBy(f => f.Confidence),
        formula);
}
