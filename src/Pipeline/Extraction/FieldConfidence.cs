using System.Text;
using System.Text.Json;
using DocExtract.Llama;

namespace DocExtract.Pipeline.Extraction;

/// <summary>A leaf value of an answer (string, number, boolean or null) and how sure the model was of it.</summary>
/// <param name="Pointer">Its place in the answer, as an RFC 6901 JSON Pointer ("/lineItems/2/amount").</param>
/// <param name="Tokens">How many generated tokens its text overlaps.</param>
public sealed record ScoredValue(string Pointer, JsonElement Value, double Confidence, int Tokens);

/// <summary>
/// Per-value confidence from the probabilities of the generated tokens (#6). Each token's byte span in the answer
/// is known (its piece's length), and so is each leaf value's (Utf8JsonReader's token positions, a string's quotes
/// included); a value's tokens are those whose span overlaps the value's.
/// <para>
/// At each of those steps the probability that counts is the share of the grammar-masked distribution that agrees
/// with the value's text: the chosen token's, plus that of every other allowed token (among the recorded most
/// likely ones) whose text is the same as the value's there, up to the value's end. That is the probability of
/// the value's characters, not of one way to cut them into tokens: the grammar lets "INV-2026" come as "INV"+"-"
/// or "I"+"N"+"V-", and a value it forces must not look uncertain because the model was unsure how to spell it
/// in tokens. Structural text before a value (": ", a quote) is not part of the comparison. Without recorded
/// alternatives, the chosen token's own probability is used.
/// </para>
/// <para>
/// Confidence = exp(mean over the value's tokens of the log of that share): the geometric mean per step. A value
/// the grammar forces is 1; a value picked among many equally likely tokens is near 0. The mean, not the sum,
/// because a product would rate a 20-token address far below a 2-token amount the model was no surer of; not the
/// minimum, because one token at a boundary would then decide a whole value.
/// </para>
/// </summary>
public static class FieldConfidence
{
    public const string Formula =
        "exp(mean over the value's tokens of log(probability of the allowed tokens whose text agrees with the value's at that step)), grammar-masked";

    /// <param name="tokens">The generated tokens; <paramref name="pieceOf"/> gives the bytes of a token's text.</param>
    /// <param name="alternatives">Per token, the most likely allowed tokens at its step; null to use the chosen tokens' probabilities alone.</param>
    public static IReadOnlyList<ScoredValue> Score(
        string answer, IReadOnlyList<int> tokens, Func<int, byte[]> pieceOf, IReadOnlyList<float> logProbabilities,
        IReadOnlyList<TokenAlternative[]>? alternatives = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(tokens.Count, logProbabilities.Count, nameof(logProbabilities));
        var tokenPieces = tokens.Select(pieceOf).ToList();
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
            // A string's text begins after its opening quote: what comes before is the JSON around it.
            var content = bytes[start] == (byte)'"' ? start + 1 : start;
            var sum = 0.0;
            var count = 0;
            for (var t = 0; t < tokenPieces.Count; t++)
            {
                if (starts[t] < end && starts[t + 1] > start)
                {
                    sum += alternatives is null
                        ? logProbabilities[t]
                        : AgreeingLogProbability(bytes, starts[t], start, content, end, tokens[t], logProbabilities[t], alternatives[t], pieceOf);
                    count++;
                }
            }
            var value = Resolve(document.RootElement, pointer).Clone();
            scored.Add(new ScoredValue(pointer, value, count == 0 ? 1 : Math.Exp(sum / count), count));
        }
        return scored;
    }

    private static double AgreeingLogProbability(
        byte[] answer, int at, int start, int content, int end, int chosen, float chosenLogProbability,
        TokenAlternative[] alternatives, Func<int, byte[]> pieceOf)
    {
        var total = Math.Exp(chosenLogProbability);
        foreach (var alternative in alternatives)
        {
            // Another token can have the same text (a byte-fallback token beside a merged one): it agrees too.
            if (alternative.Token != chosen && Agrees(answer, at, start, content, end, pieceOf(alternative.Token)))
            {
                total += Math.Exp(alternative.LogProbability);
            }
        }
        return Math.Log(Math.Min(1, total));
    }

    /// <summary>Whether a token placed at <paramref name="at"/>, in a value spanning [start, end) whose text begins at <paramref name="content"/>, would write the same value text as the answer does, up to the value's end.</summary>
    private static bool Agrees(byte[] answer, int at, int start, int content, int end, byte[] piece)
    {
        var offset = 0;
        var position = at;
        // Before the value's text (and where a number or literal begins) another token may differ only in layout
        // (": " or ":", a space before 631.2): compare from where its own structural characters end.
        if (at < content || (at == start && content == start))
        {
            while (offset < piece.Length && piece[offset] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)':' or (byte)',' or (byte)'"')
            {
                offset++;
            }
            position = content;
        }
        var length = Math.Min(piece.Length - offset, end - position);
        return length <= 0 ? offset == piece.Length : piece.AsSpan(offset, length).SequenceEqual(answer.AsSpan(position, length));
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
