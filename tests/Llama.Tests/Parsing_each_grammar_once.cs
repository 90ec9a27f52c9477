using System.Text;
using DocExtract.Llama.Interop;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

/// <summary>
/// A grammar is parsed (with stderr captured for llama.cpp's reasons) the first time a model meets it; each later
/// sampler is a copy of the parsed one in its start state (issue #16).
/// </summary>
[Collection(LlamaCollection.Name)]
public sealed class Parsing_each_grammar_once : IDisposable
{
    // A model of its own, so that the count of parses is this test's alone.
    private readonly LlamaModel _vocabulary = LlamaModel.Load(
        RepositoryLayout.VocabFile("ggml-vocab-llama-spm.gguf"), new LlamaModelOptions { VocabularyOnly = true });

    [Fact]
    public void Copies_the_parsed_grammar_for_each_use_in_its_start_state()
    {
        const string Json = "{\"invoice\": \"A17\", \"total\": 12.5, \"paid\": true}";

        // Each match accepts the whole text on its sampler: a second match on a sampler the first had moved along
        // would be refused at its first byte.
        var matches = Enumerable.Range(0, 3).Select(_ => LlamaGrammar.Match(_vocabulary, Grammars.Invoice, Json)).ToList();

        Assert.All(matches, match => Assert.True(match.IsAccepted, match.Explanation));
        Assert.Equal(1, _vocabulary.Grammars.Parses);
    }

    [Fact]
    public void Keeps_copies_apart_while_they_are_used_side_by_side()
    {
        using var first = LlamaGrammar.CreateSampler(_vocabulary, "root ::= \"ab\" | \"ba\"");
        using var second = LlamaGrammar.CreateSampler(_vocabulary, "root ::= \"ab\" | \"ba\"");

        // One token at a time, so each grammar's state moves on its own: "a" then "b" on the first, "b" then "a" on the second.
        Advance(first, "a");
        Advance(second, "b");
        Advance(first, "b");
        Advance(second, "a");

        Assert.Equal(1, _vocabulary.Grammars.Parses);
    }

    [Fact]
    public void Keeps_the_reason_of_a_grammar_llama_cpp_refused_without_parsing_it_again()
    {
        var errors = Enumerable.Range(0, 3)
            .Select(_ => Assert.Throws<LlamaGrammarException>(() => LlamaGrammar.Validate(_vocabulary, "root ::= value")))
            .ToList();

        Assert.All(errors, error => Assert.Equal("Undefined rule identifier 'value'", error.ParseError));
        Assert.Equal(1, _vocabulary.Grammars.Parses);
    }

    [Fact]
    public void Parses_again_a_grammar_dropped_as_the_least_recently_used()
    {
        static string Grammar(int i) => $"root ::= \"{i}\"";

        for (var i = 0; i <= GrammarCache.Capacity; i++)
        {
            Assert.True(LlamaGrammar.Accepts(_vocabulary, Grammar(i), i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Grammar 0 was the least recently used when the 65th came; grammar 1 is still kept.
        LlamaGrammar.Validate(_vocabulary, Grammar(1));
        Assert.Equal(GrammarCache.Capacity + 1, _vocabulary.Grammars.Parses);
        Assert.True(LlamaGrammar.Accepts(_vocabulary, Grammar(0), "0"));
        Assert.Equal(GrammarCache.Capacity + 2, _vocabulary.Grammars.Parses);
    }

    [Fact]
    public void Keeps_no_more_grammar_text_than_its_budget_but_always_the_grammar_just_used()
    {
        using var cache = new GrammarCache(_vocabulary, maxCharacters: 40);
        const string Short = "root ::= \"a\"";                                 // 14 characters
        var large = $"root ::= \"{new string('b', 60)}\"";                    // over the budget alone

        cache.Create(Short).Dispose();
        cache.Create(Short).Dispose();
        Assert.Equal(1, cache.Parses);
        cache.Create(large).Dispose();
        cache.Create(large).Dispose();
        Assert.Equal(2, cache.Parses);
        cache.Create(Short).Dispose();
        Assert.Equal(3, cache.Parses);
    }

    public void Dispose() => _vocabulary.Dispose();

    /// <summary>Feeds the token whose piece is exactly <paramref name="text"/> to the grammar, which must allow it.</summary>
    private void Advance(SafeLlamaSamplerHandle grammar, string text)
    {
        var token = Enumerable.Range(0, _vocabulary.VocabularySize)
            .First(t => Encoding.UTF8.GetString(_vocabulary.TokenToPieceUtf8(t)) == text);
        Assert.True(LlamaGrammar.IsAllowed(grammar, token), $"the grammar refused '{text}'");
        NativeMethods.Accept(grammar, token);
    }
}
