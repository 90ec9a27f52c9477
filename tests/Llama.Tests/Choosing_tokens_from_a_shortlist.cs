using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

/// <summary>
/// Issue #11: greedy steps check only the highest logits against the grammar where that gives the same answer as
/// the whole vocabulary. Compared here token for token with the whole-vocabulary path on real tokenizers of 32k to
/// 262k tokens, with logits spread like a trained model's (where the shortlist applies at some steps) and flat
/// (where it never does).
/// </summary>
[Collection(LlamaCollection.Name)]
public sealed class Choosing_tokens_from_a_shortlist(LlamaFixture fixture)
{
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData("ggml-vocab-llama-spm.gguf", null)]
    [InlineData("ggml-vocab-llama-spm.gguf", 3f)]
    [InlineData("ggml-vocab-qwen2.gguf", 3f)]
    [InlineData("ggml-vocab-gemma-4.gguf", 3f)]
    public void Gives_the_tokens_and_probabilities_of_the_whole_vocabulary(string vocab, float? outputScale)
    {
        using var model = Load(vocab, outputScale);
        using var context = model.CreateContext(new LlamaContextOptions { ContextSize = 256, BatchSize = 64 });
        var prompt = model.Tokenize("Invoice A17 over 12.50, paid. JSON:");
        GenerationOptions Options(bool fullVocabulary) => new()
        {
            Grammar = Grammars.Invoice,
            MaxTokens = 40,
            Alternatives = 16,
            Sampler = SamplerSettings.Greedy with { FullVocabulary = fullVocabulary },
        };

        var whole = context.Generate(prompt, Options(fullVocabulary: true));
        var shortlist = context.Generate(prompt, Options(fullVocabulary: false));

        Assert.Equal(whole.TokenIds, shortlist.TokenIds);
        Assert.Equal(whole.StopReason, shortlist.StopReason);
        Assert.Equal(Steps(whole), whole.FullVocabularySteps);
        for (var step = 0; step < whole.TokenIds.Count; step++)
        {
            Assert.InRange(shortlist.TokenLogProbabilities[step] - whole.TokenLogProbabilities[step], -Tolerance, Tolerance);
            AssertSameAlternatives(whole.Alternatives![step], shortlist.Alternatives![step]);
        }

        if (outputScale is null)
        {
            // Flat logits: no shortlist can bound the rest of the vocabulary, so every step checks all of it.
            Assert.Equal(Steps(shortlist), shortlist.FullVocabularySteps);
        }
        else
        {
            // A random model's best allowed token at a step the grammar fixes (a quote, a key) lies deep in its
            // ranking, so those steps still check everything; the others come from the shortlist.
            Assert.True(shortlist.FullVocabularySteps < Steps(shortlist),
                $"all {Steps(shortlist)} steps needed the whole vocabulary");
        }
    }

    [Fact]
    public void Seeded_sampling_draws_what_it_drew_over_the_whole_vocabulary()
    {
        using var model = Load("ggml-vocab-qwen2.gguf", 3f);
        using var context = model.CreateContext(new LlamaContextOptions { ContextSize = 256, BatchSize = 64 });
        var prompt = model.Tokenize("Invoice A17 over 12.50, paid. JSON:");
        var sampler = SamplerSettings.Random(0.7f, 3);

        var drawn = context.Generate(prompt, new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 20, Sampler = sampler });
        var whole = context.Generate(prompt, new GenerationOptions
        {
            Grammar = Grammars.Invoice, MaxTokens = 20, Sampler = sampler with { FullVocabulary = true },
        });

        Assert.Equal(whole.TokenIds, drawn.TokenIds);
        Assert.Equal(whole.TokenLogProbabilities, drawn.TokenLogProbabilities);
        Assert.Equal(Steps(drawn), drawn.FullVocabularySteps);
    }

    /// <summary>Tokens chosen: the generated ones, and the end-of-generation token where the model ended by itself.</summary>
    private static int Steps(GenerationResult result) =>
        result.GeneratedTokens + (result.StopReason == StopReason.EndOfGeneration ? 1 : 0);

    /// <summary>
    /// The shortlist lists the same most likely allowed tokens; where it lists fewer, the ones it left out are allowed
    /// tokens it proved negligible (probability below the sampler's tolerance).
    /// </summary>
    private static void AssertSameAlternatives(TokenAlternative[] whole, TokenAlternative[] shortlist)
    {
        Assert.True(shortlist.Length <= whole.Length, $"{shortlist.Length} alternatives against {whole.Length}");
        for (var i = 0; i < whole.Length; i++)
        {
            if (i < shortlist.Length)
            {
                Assert.Equal(whole[i].Token, shortlist[i].Token);
                Assert.InRange(shortlist[i].LogProbability - whole[i].LogProbability, -Tolerance, Tolerance);
            }
            else
            {
                Assert.True(Math.Exp(whole[i].LogProbability) < Tolerance, $"left out an alternative of log-probability {whole[i].LogProbability}");
            }
        }
    }

    private LlamaModel Load(string vocab, float? outputScale) => fixture.Load(SmallModel(vocab, outputScale));

    /// <summary>32 wide and one layer: a 262k vocabulary still writes and loads in about a second.</summary>
    internal static RandomModelSpec SmallModel(string vocab, float? outputScale) => RandomModelSpec.Tiny with
    {
        VocabFile = vocab,
        EmbeddingLength = 32,
        BlockCount = 1,
        FeedForwardLength = 64,
        OutputWeightScale = outputScale,
    };
}
