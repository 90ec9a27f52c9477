using System.Text.Json;

namespace DocExtract.Pipeline.Extraction;

/// <summary>One page window's answer and the confidence of each of its values.</summary>
public sealed record WindowAnswer(JsonElement Data, IReadOnlyList<ScoredValue> Values);

/// <summary>
/// Merges the answers of a long document's page windows into one (#6). Objects merge property by property;
/// arrays are concatenated in window order, an item equal to one already taken (same JSON) left out; a scalar is
/// taken from the window that was most confident of it. A null says only that a window's pages did not state the
/// value, so any non-null value wins over null. The merged values keep the confidence of the window they came from,
/// under their new pointers.
/// </summary>
public static class WindowMerger
{
    public static (JsonElement Data, IReadOnlyList<ScoredValue> Values) Merge(IReadOnlyList<WindowAnswer> windows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(windows.Count, nameof(windows));
        if (windows.Count == 1)
        {
            return (windows[0].Data, windows[0].Values);
        }
        var scores = windows.Select(w => w.Values.ToDictionary(v => v.Pointer)).ToList();
        var merged = new List<ScoredValue>();
        var json = MergeNode([.. windows.Select((w, i) => new Candidate(w.Data, "", i))], "", scores, merged);
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.Clone();
        // Re-read each value from the merged document, so every element belongs to it.
        return (data, [.. merged.Select(v => v with { Value = FieldConfidence.Resolve(data, v.Pointer).Clone() })]);
    }

    private sealed record Candidate(JsonElement Element, string Pointer, int Window);

    // Values are copied as their raw JSON text: a model may write escapes (a lone "\\ud800") that JSON allows and
    // System.Text.Json reads, but will not write back out as a string.
    private static string MergeNode(
        IReadOnlyList<Candidate> candidates, string pointer, List<Dictionary<string, ScoredValue>> scores, List<ScoredValue> merged)
    {
        var present = candidates.Where(c => c.Element.ValueKind != JsonValueKind.Null).ToList();
        if (present.Count == 0)
        {
            merged.Add(Best(candidates, scores) with { Pointer = pointer });
            return "null";
        }
        var kind = present[0].Element.ValueKind;
        present = [.. present.Where(c => c.Element.ValueKind == kind)];
        switch (kind)
        {
            case JsonValueKind.Object:
                var properties = new List<string>();
                var names = present.SelectMany(c => c.Element.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    var inner = present
                        .Where(c => c.Element.TryGetProperty(name, out _))
                        .Select(c => new Candidate(c.Element.GetProperty(name), $"{c.Pointer}/{FieldConfidence.Escape(name)}", c.Window))
                        .ToList();
                    properties.Add($"{JsonSerializer.Serialize(name)}:{MergeNode(inner, $"{pointer}/{FieldConfidence.Escape(name)}", scores, merged)}");
                }
                return $"{{{string.Join(',', properties)}}}";
            case JsonValueKind.Array:
                var items = new List<string>();
                var taken = new List<JsonElement>();
                foreach (var c in present)
                {
                    var index = 0;
                    foreach (var item in c.Element.EnumerateArray())
                    {
                        var itemPointer = $"{c.Pointer}/{index++}";
                        if (taken.Any(t => JsonElement.DeepEquals(t, item)))
                        {
                            continue;
                        }
                        taken.Add(item);
                        items.Add(MergeNode([new Candidate(item, itemPointer, c.Window)], $"{pointer}/{items.Count}", scores, merged));
                    }
                }
                return $"[{string.Join(',', items)}]";
            default:
                var best = present.MaxBy(c => Score(c, scores)?.Confidence ?? 0)!;
                if (Score(best, scores) is { } score)
                {
                    merged.Add(score with { Pointer = pointer });
                }
                return best.Element.GetRawText();
        }
    }

    private static ScoredValue Best(IReadOnlyList<Candidate> candidates, List<Dictionary<string, ScoredValue>> scores) =>
        candidates.Select(c => Score(c, scores)).OfType<ScoredValue>().MaxBy(s => s.Confidence)
        ?? new ScoredValue("", default, 1, 0);

    private static ScoredValue? Score(Candidate candidate, List<Dictionary<string, ScoredValue>> scores) =>
        scores[candidate.Window].GetValueOrDefault(candidate.Pointer);
}
