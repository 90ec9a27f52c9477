using System.Text;
using DocExtract.Llama;
using DocExtract.Pipeline.Extraction;

namespace DocExtract.Worker.Tests;

/// <summary>The mapping from generated tokens to JSON values, on known tokens and log-probabilities.</summary>
public sealed class Scoring_values_from_token_probabilities
{
    // Tokens as a tokenizer might cut them: pieces that straddle punctuation and values.
    private static (string Text, List<byte[]> Pieces, List<float> LogProbabilities) Tokens(params (string Piece, double Probability)[] tokens) =>
        (string.Concat(tokens.Select(t => t.Piece)),
         [.. tokens.Select(t => Encoding.UTF8.GetBytes(t.Piece))],
         [.. tokens.Select(t => (float)Math.Log(t.Probability))]);

    // Token i is the i-th piece; alternatives name further tokens appended after them.
    private static IReadOnlyList<ScoredValue> Score(string text, List<byte[]> pieces, List<float> logs, IReadOnlyList<TokenAlternative[]>? alternatives = null, List<byte[]>? others = null)
    {
        var table = pieces.Concat(others ?? []).ToList();
        return FieldConfidence.Score(text, [.. Enumerable.Range(0, pieces.Count)], t => table[t], logs, alternatives);
    }

    [Fact]
    public void Other_spellings_of_the_same_text_in_tokens_count_for_the_value_and_other_texts_do_not()
    {
        // The answer {"n":"INV"} cut as "I","NV"; at the first step the model could also have written "IN" or
        // "INV" (the same text) or "X" (another value); at the second, "N" (the same) or "NX" (another).
        var (text, pieces, logs) = Tokens(("{\"n\":\"", 1), ("I", 0.4), ("NV", 0.5), ("\"}", 1));
        string[] spellings = ["IN", "INV", "X", "N", "NX"];
        List<byte[]> others = [.. spellings.Select(Encoding.UTF8.GetBytes)];
        TokenAlternative Alt(int token, double p) => new(token, (float)Math.Log(p));
        TokenAlternative[][] alternatives =
        [
            [Alt(0, 1)],
            [Alt(1, 0.4), Alt(4, 0.3), Alt(5, 0.2), Alt(6, 0.1)],
            [Alt(2, 0.5), Alt(7, 0.3), Alt(8, 0.2)],
            [Alt(3, 1)],
        ];

        var score = Assert.Single(Score(text, pieces, logs, alternatives, others));

        // "{\"n\":\"" (1: its layout is not the value), "I" 0.9, "NV" 0.8, "\"}" 1.
        Assert.Equal(Math.Pow(1 * 0.9 * 0.8 * 1, 1.0 / 4), score.Confidence, 5);
        Assert.Equal(Math.Pow(0.4 * 0.5, 1.0 / 4), Assert.Single(Score(text, pieces, logs)).Confidence, 5);
    }

    [Fact]
    public void Each_value_gets_the_geometric_mean_of_its_tokens_probabilities()
    {
        var (text, pieces, logs) = Tokens(("{\"", 1), ("total", 1), ("\":", 1), (" 6", 0.9), ("31", 0.4), (".2", 0.9), (",\"", 1),
            ("name", 1), ("\":\"", 1), ("Ac", 0.25), ("me", 1), ("\"}", 1));

        var scores = Score(text, pieces, logs).ToDictionary(s => s.Pointer);

        // " 6", "31" and ".2": the number's text ends where ",\"" begins.
        Assert.Equal(Math.Pow(0.9 * 0.4 * 0.9, 1.0 / 3), scores["/total"].Confidence, 6);
        Assert.Equal(3, scores["/total"].Tokens);
        Assert.Equal(631.2m, scores["/total"].Value.GetDecimal());
        // "\":\"" opens the string, then "Ac", "me" and the closing "\"}".
        Assert.Equal(Math.Pow(0.25, 1.0 / 4), scores["/name"].Confidence, 6);
        Assert.Equal("Acme", scores["/name"].Value.GetString());
    }

    [Fact]
    public void A_value_the_grammar_forces_has_confidence_one_and_a_guess_among_many_is_low()
    {
        var (text, pieces, logs) = Tokens(("{\"a\":", 1), ("true", 1), (",\"b\":", 1), ("\"", 1), ("x", 1.0 / 32000), ("\"}", 1.0 / 2));

        var scores = Score(text, pieces, logs).ToDictionary(s => s.Pointer);

        Assert.Equal(1, scores["/a"].Confidence, 9);
        Assert.True(scores["/b"].Confidence < 0.05, $"{scores["/b"].Confidence}");
    }

    [Fact]
    public void Array_items_and_nested_objects_are_named_by_json_pointer()
    {
        var json = """{"items":[{"d":"x","n":1},{"d":"y","n":null}],"a/b":["p","q"],"m~n":{"k":false}}""";
        var (text, pieces, logs) = Tokens([.. json.Select(c => (c.ToString(), 0.5))]);

        var pointers = Score(text, pieces, logs).Select(s => s.Pointer);

        Assert.Equal(["/items/0/d", "/items/0/n", "/items/1/d", "/items/1/n", "/a~1b/0", "/a~1b/1", "/m~0n/k"], pointers);
    }

    [Fact]
    public void Multi_byte_characters_split_across_tokens_keep_the_offsets_right()
    {
        var e = Encoding.UTF8.GetBytes("é");
        List<byte[]> pieces = [Encoding.UTF8.GetBytes("{\"a\":\"caf"), [e[0]], [e[1]], Encoding.UTF8.GetBytes("\",\"b\":"), Encoding.UTF8.GetBytes("7}")];
        List<float> logs = [0, (float)Math.Log(0.5), (float)Math.Log(0.5), 0, (float)Math.Log(0.1)];

        var scores = Score("{\"a\":\"café\",\"b\":7}", pieces, logs).ToDictionary(s => s.Pointer);

        Assert.Equal(Math.Pow(0.25, 1.0 / 4), scores["/a"].Confidence, 6);
        Assert.Equal(0.1, scores["/b"].Confidence, 6);
    }
}
