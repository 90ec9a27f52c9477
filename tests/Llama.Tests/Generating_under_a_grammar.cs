using System.Text.Json;

namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class Generating_under_a_grammar(LlamaFixture fixture)
{
    private int[] Prompt => fixture.Model.Tokenize(fixture.Model.ApplyChatTemplate(
        [LlamaChatMessage.System("Reply with JSON."), LlamaChatMessage.User("Invoice A17 over 12.50, paid.")]));

    [Theory]
    [InlineData(0f, 0u)]
    [InlineData(1.0f, 1u)]
    [InlineData(1.5f, 2u)]
    public void Produces_json_that_keeps_to_the_grammar_and_ends_by_itself(float temperature, uint seed)
    {
        using var context = fixture.CreateContext();
        var sampler = temperature == 0 ? SamplerSettings.Greedy : SamplerSettings.Random(temperature, seed);

        var result = context.Generate(Prompt, new GenerationOptions { Grammar = Grammars.Invoice, Sampler = sampler, MaxTokens = 200 });

        Assert.Equal(StopReason.EndOfGeneration, result.StopReason);
        using var json = JsonDocument.Parse(result.Text);
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("invoice").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("total").ValueKind);
        Assert.Contains(json.RootElement.GetProperty("paid").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.True(LlamaGrammar.Accepts(fixture.Model, Grammars.Invoice, result.Text), result.Text);
    }

    [Fact]
    public void Takes_log_probabilities_over_the_tokens_the_grammar_allows()
    {
        using var context = fixture.CreateContext();

        // Only "A" and its byte-fallback twin <0x41> spell "A": the softmax runs over two tokens, not 32000.
        var constrained = context.Generate(Prompt, new GenerationOptions { Grammar = "root ::= \"A\"", MaxTokens = 5 });
        var free = context.Generate(Prompt, new GenerationOptions { MaxTokens = 1 });

        Assert.Equal("A", constrained.Text);
        Assert.Equal(StopReason.EndOfGeneration, constrained.StopReason);
        var logProbability = Assert.Single(constrained.TokenLogProbabilities);
        Assert.InRange(logProbability, -Math.Log(2) - 0.1, 0);
        Assert.True(free.TokenLogProbabilities[0] < -5, $"unconstrained log-probability {free.TokenLogProbabilities[0]}");
    }

    [Fact]
    public void Stops_at_MaxTokens_with_a_grammar_that_could_go_on()
    {
        using var context = fixture.CreateContext();

        var result = context.Generate(Prompt, new GenerationOptions { Grammar = "root ::= [a-z]+", MaxTokens = 6 });

        Assert.Equal(StopReason.MaxTokens, result.StopReason);
        Assert.Equal(6, result.GeneratedTokens);
        Assert.Matches("^[a-z]+$", result.Text);
    }

    [Fact]
    public void Fails_with_llama_cpp_parse_error_before_decoding_and_leaves_the_context_usable()
    {
        using var context = fixture.CreateContext();

        var error = Assert.Throws<LlamaGrammarException>(() =>
            context.Generate(Prompt, new GenerationOptions { Grammar = "root ::= value\n", MaxTokens = 5 }));

        Assert.Equal("Undefined rule identifier 'value'", error.ParseError);
        Assert.Equal(0, context.GetSequenceLength(0));
        Assert.Equal(5, context.Generate(Prompt, new GenerationOptions { MaxTokens = 5 }).GeneratedTokens);
    }
}
