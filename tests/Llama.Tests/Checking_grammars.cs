using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class Checking_grammars(LlamaFixture fixture) : IDisposable
{
    // What a schema test would use: the tokenizer alone, no weights.
    private readonly LlamaModel _vocabulary = LlamaModel.Load(
        RepositoryLayout.VocabFile("ggml-vocab-llama-spm.gguf"), new LlamaModelOptions { VocabularyOnly = true });

    [Theory]
    [InlineData("root ::= value", "Undefined rule identifier 'value'")]
    [InlineData("root = \"a\"", "expecting ::= at = \"a\"")]
    [InlineData("root ::= \"a", "unexpected end of input")]
    [InlineData("root ::= [a-z", "unexpected end of input")]
    [InlineData("start ::= \"a\"", "grammar does not contain a 'root' symbol")]
    [InlineData("root ::= root \"a\" | \"a\"", "unsupported grammar, left recursion detected for nonterminal at index 0")]
    public void Reports_llama_cpp_own_reason_for_an_invalid_grammar(string gbnf, string reason)
    {
        var error = Assert.Throws<LlamaGrammarException>(() => LlamaGrammar.Validate(_vocabulary, gbnf));

        Assert.Equal(reason, error.ParseError);
        Assert.Contains(reason, error.Message);
        Assert.False(LlamaGrammar.TryValidate(_vocabulary, gbnf, out var parseError));
        Assert.Equal(reason, parseError);
    }

    [Fact]
    public void Accepts_a_valid_grammar()
    {
        LlamaGrammar.Validate(_vocabulary, Grammars.Invoice);

        Assert.True(LlamaGrammar.TryValidate(fixture.Model, Grammars.Invoice, out var parseError));
        Assert.Null(parseError);
    }

    [Theory]
    [InlineData("{\"invoice\": \"A17\", \"total\": 12.5, \"paid\": true}")]
    [InlineData("{\"invoice\":\"INV 2024-42\",\"total\":-0.99,\"paid\":false}")]
    [InlineData("{ \"invoice\" : \"x\" , \"total\" : 100000 , \"paid\" : true }")]
    public void Accepts_text_in_the_language_of_the_grammar(string json)
    {
        var match = LlamaGrammar.Match(_vocabulary, Grammars.Invoice, json);

        Assert.True(match.IsAccepted, match.Explanation);
        Assert.Null(match.RejectedAtByte);
    }

    [Theory]
    [InlineData("{\"invoice\": 17, \"total\": 12.5, \"paid\": true}", "\"invoice\":")]
    [InlineData("{\"invoice\": \"A17\", \"total\": 1234567, \"paid\": true}", "123456")]
    [InlineData("{\"invoice\": \"A17\", \"total\": 12.5, \"paid\": yes}", "\"paid\":")]
    [InlineData(" {\"invoice\": \"A17\", \"total\": 12.5, \"paid\": true}", "")]
    public void Rejects_text_outside_the_language_and_says_where(string json, string acceptedPrefix)
    {
        var match = LlamaGrammar.Match(_vocabulary, Grammars.Invoice, json);

        Assert.False(match.IsAccepted);
        Assert.Contains("rejected at byte", match.Explanation);
        // The refused token may carry a space the grammar allowed, so it starts at or just after the prefix.
        var prefixEnd = acceptedPrefix.Length == 0 ? 0 : json.IndexOf(acceptedPrefix, StringComparison.Ordinal) + acceptedPrefix.Length;
        Assert.InRange(match.RejectedAtByte!.Value, prefixEnd, prefixEnd + 1);
    }

    [Fact]
    public void Rejects_a_prefix_that_the_grammar_cannot_end_with()
    {
        var match = LlamaGrammar.Match(_vocabulary, Grammars.Invoice, "{\"invoice\": \"A17\", \"total\": 12.5");

        Assert.False(match.IsAccepted);
        Assert.StartsWith("incomplete", match.Explanation);
    }

    [Theory]
    [InlineData("root ::= \"Grüße aus Köln\"", "Grüße aus Köln", true)]
    [InlineData("root ::= \"東京\" [0-9]+", "東京2024", true)]
    [InlineData("root ::= \"東京\" [0-9]+", "京都2024", false)]
    [InlineData("root ::= \"a\"*", "", true)]
    [InlineData("root ::= \"a\"+", "", false)]
    public void Matches_multibyte_and_empty_text(string gbnf, string text, bool accepted)
    {
        Assert.Equal(accepted, LlamaGrammar.Accepts(_vocabulary, gbnf, text));
    }

    public void Dispose() => _vocabulary.Dispose();
}
