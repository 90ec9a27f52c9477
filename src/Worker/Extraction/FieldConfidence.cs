using System.Text;
using System.Text.Json;

namespace DocExtract.Worker.Extraction;

/// <summary>A leaf value of an answer (string, number, boolean or null) and how sure the model was of it.</summary>
/// <param name="Pointer">Its place in the answer, as an RFC 6901 JSON Pointer ("/lineItems/2/amount").</param>
/// <param name="Tokens">How many generated tokens its text overlaps.</param>
public sealed record ScoredValue(string Pointer, JsonElement Value, double Confidence, int Tokens);

/// <summary>
/// Per-value confidence from the log-probabilities of the generated tokens (#6). Each token's byte span in the
/// answer is known (its piece's length), and so is each leaf value's (Utf8JsonReader's token positions, quotes
/// included); a value's tokens are those whose span overlaps the value's.
/// <para>
/// Confidence = exp(mean of those tokens' log-probabilities): the geometric mean of their probabilities, under the
/// grammar-masked distribution the token was actually drawn from. A value the grammar forces (one choice) is 1; a
/// value picked from many equally likely tokens is near 0. The mean, not the sum, because the product of
/// probabilities would rate a 20-token address far below a 2-token amount that the model was no surer of; not the
/// minimum, because one token at a word boundary (a space or a quote that merges with a comma) would then decide a
/// whole value. A token that straddles two values (a closing quote merged with the next key) counts for both.
/// </para>
/// </summary>
public static class FieldConfidence
{
    public static IReadOnlyList<ScoredValue> Score(string answer, IReadOnlyList<byte[]> tokenPieces, IReadOnlyList<float> logProbabilities)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(tokenPieces.Count, logProbabilities.Count, nameof(logProbabilities));
        var bytes = Encoding.UTF8.GetBytes(answer);
        var starts = new int[tokenPieces.Count + 1];
        for (var i = 0; i < tokenPieces.Count; i++)
        {
            starts[i + 1] = starts[i] + tokenPieces[i].Length;
        }
        var scored = new List<ScoredValue>();
        using var document = JsonDocument.Parse(bytes);
        foreach (var (pointer, start, end) in LeafSpans(bytes))
        {
            var sum = 0.0;
            var count = 0;
            for (var t = 0; t < tokenPieces.Count; t++)
            {
                if (starts[t] < end && starts[t + 1] > start)
                {
                    sum += logProbabilities[t];
                    count++;
                }
            }
            var value = Resolve(document.RootElement, pointer).Clone();
            scored.Add(new ScoredValue(pointer, value, count == 0 ? 1 : Math.Exp(sum / count), count));
        }
        return scored;
    }

    /// <summary>Each leaf value's JSON Pointer and byte span [start, end) in the UTF-8 JSON text.</summary>
    public static IReadOnlyList<(string Pointer, int Start, int End)> LeafSpans(ReadOnlySpan<byte> json)
    {
        var spans = new List<(string, int, int)>();
        var path = new List<string>();
        var indexes = new List<int>(); // per open container: -1 for an object, else the next array index
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path.Add(Escape(reader.GetString()!));
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    EnterValue(path, indexes);
                    indexes.Add(reader.TokenType == JsonTokenType.StartObject ? -1 : 0);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    indexes.RemoveAt(indexes.Count - 1);
                    LeaveValue(path, indexes);
                    continue;
                default:
                    EnterValue(path, indexes);
                    spans.Add((path.Count == 0 ? "" : "/" + string.Join('/', path), (int)reader.TokenStartIndex, (int)reader.BytesConsumed));
                    LeaveValue(path, indexes);
                    continue;
            }
        }
        return spans;
    }

    /// <summary>The element a JSON Pointer names.</summary>
    public static JsonElement Resolve(JsonElement root, string pointer)
    {
        var current = root;
        if (pointer.Length == 0)
        {
            return current;
        }
        foreach (var raw in pointer[1..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current.ValueKind == JsonValueKind.Array ? current[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : current.GetProperty(part);
        }
        return current;
    }

    public static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static void EnterValue(List<string> path, List<int> indexes)
    {
        if (indexes.Count > 0 && indexes[^1] >= 0)
        {
            path.Add(indexes[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // A value inside an array advances the index; inside an object its property name is done with.
    private static void LeaveValue(List<string> path, List<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return;
        }
        if (indexes[^1] >= 0)
        {
            indexes[^1]++;
        }
        path.RemoveAt(path.Count - 1);
    }
}
