using DocExtract.Persistence.Results;

namespace DocExtract.Pipeline.Extraction;

public static class FieldTrusts
{
    /// <summary>The trust signals of every leaf value: its confidence, and its evidence searched on all pages.</summary>
    public static IReadOnlyList<FieldTrust> Of(IEnumerable<ScoredValue> values, IReadOnlyList<PageText> pages) =>
        [.. values.Select(v =>
        {
            var needed = EvidenceFinder.NeedsEvidence(v.Value);
            var evidence = needed ? EvidenceFinder.Find(v.Value, pages) : null;
            return new FieldTrust(v.Pointer, v.Value, Math.Round(v.Confidence, 4), evidence, needed && evidence is null);
        })];
}
