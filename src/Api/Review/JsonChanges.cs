using System.Text.Json;
using System.Text.Json.Nodes;

namespace DocExtract.Api.Review;

/// <summary>One value a person changed: where (a JSON Pointer into the data), what the model said, what it became.</summary>
public sealed record JsonChange(string Path, JsonNode? From, JsonNode? To);

/// <summary>
/// The leaf-level differences between the model's data and the approved data (issue #13): objects property by
/// property, arrays item by item (an added or removed line item is one change of the whole item, from or to null).
/// </summary>
public static class JsonChanges
{
    public static IReadOnlyList<JsonChange> Between(JsonElement? before, JsonElement after)
    {
        var changes = new List<JsonChange>();
        Compare("", before, after, changes);
        return changes;
    }

    private static void Compare(string path, JsonElement? before, JsonElement? after, List<JsonChange> changes)
    {
        if (before is { ValueKind: JsonValueKind.Object } a && after is { ValueKind: JsonValueKind.Object } b)
        {
            var names = a.EnumerateObject().Select(p => p.Name).Concat(b.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                Compare($"{path}/{Escape(name)}", Property(a, name), Property(b, name), changes);
            }
            return;
        }
        if (before is { ValueKind: JsonValueKind.Array } x && after is { ValueKind: JsonValueKind.Array } y)
        {
            var count = Math.Max(x.GetArrayLength(), y.GetArrayLength());
            for (var i = 0; i < count; i++)
            {
                Compare($"{path}/{i}", i < x.GetArrayLength() ? x[i] : null, i < y.GetArrayLength() ? y[i] : null, changes);
            }
            return;
        }
        // A missing property and a null say the same: the document does not state the value.
        if (before is not { ValueKind: not JsonValueKind.Null } && after is not { ValueKind: not JsonValueKind.Null })
        {
            return;
        }
        if (before is { } left && after is { } right && JsonElement.DeepEquals(left, right))
        {
            return;
        }
        changes.Add(new JsonChange(path.Length == 0 ? "" : path, Node(before), Node(after)));
    }

    private static JsonElement? Property(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value : null;

    private static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

    // RFC 6901: '~' and '/' inside a name are written ~0 and ~1.
    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
