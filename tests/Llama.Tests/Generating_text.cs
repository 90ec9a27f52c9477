namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class Generating_text(LlamaFixture fixture)
{
    private int[] Prompt => fixture.Model.Tokenize("Invoice number 42 from ACME, total due");

    [Fact]
    public void Greedy_generation_gives_the_same_tokens_every_time()
    {
        using var first = fixture.CreateContext();
        using var second = fixture.CreateContext();
        var options = new GenerationOptions { MaxTokens = 24 };

        var a = first.Generate(Prompt, options);
        var b = first.Generate(Prompt, options);
        var c = second.Generate(Prompt, options);

        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.Equal(a.TokenIds, c.TokenIds);
        Assert.Equal(a.Text, c.Text);
        Assert.Equal(a.TokenLogProbabilities, c.TokenLogProbabilities);
    }

    [Fact]
    public void Stops_after_MaxTokens_when_the_model_does_not_end_by_itself()
    {
        using var context = fixture.CreateContext();

        var result = context.Generate(Prompt, new GenerationOptions { MaxTokens = 7 });

        Assert.Equal(StopReason.MaxTokens, result.StopReason);
        Assert.Equal(7, result.GeneratedTokens);
        Assert.Equal(7, result.TokenIds.Count);
        Assert.Equal(7, result.TokenLogProbabilities.Count);
        Assert.Equal(Prompt.Length, result.PromptTokens);
        Assert.True(result.PromptTime > TimeSpan.Zero && result.GenerationTime > TimeSpan.Zero);
        Assert.Equal(string.Concat(result.TokenIds.Select(t => fixture.Model.TokenToPiece(t))), result.Text);
    }

    [Fact]
    public void Reports_the_log_probability_of_each_chosen_token_under_the_model()
    {
        using var context = fixture.CreateContext();
        var prompt = Prompt;

        // The same distribution computed independently: decode the prompt, take its logits, log-softmax them.
        using var batch = context.CreateBatch();
        for (var i = 0; i < prompt.Length; i++)
        {
            batch.Add(prompt[i], i, 0, outputLogits: i == prompt.Length - 1);
        }

        context.Decode(batch);
        var logits = context.GetLogits(prompt.Length - 1).ToArray();
        context.ClearSequence(0);
        var max = logits.Max();
        var logNormalizer = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        var argmax = Array.IndexOf(logits, max);

        var result = context.Generate(prompt, new GenerationOptions { MaxTokens = 5 });

        Assert.Equal(argmax, result.TokenIds[0]);
        Assert.Equal(max - logNormalizer, result.TokenLogProbabilities[0], 3);
        Assert.All(result.TokenLogProbabilities, p => Assert.True(p <= 0 && float.IsFinite(p), $"log-probability {p}"));
    }

    [Fact]
    public void Seeded_sampling_repeats_with_the_same_seed_and_differs_with_another()
    {
        using var context = fixture.CreateContext();
        GenerationOptions Sampled(uint seed) => new() { MaxTokens = 16, Sampler = SamplerSettings.Random(1.0f, seed) };

        var a = context.Generate(Prompt, Sampled(42));
        var b = context.Generate(Prompt, Sampled(42));
        var c = context.Generate(Prompt, Sampled(43));
        var greedy = context.Generate(Prompt, new GenerationOptions { MaxTokens = 16 });

        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.NotEqual(a.TokenIds, c.TokenIds);
        Assert.NotEqual(a.TokenIds, greedy.TokenIds);
    }

    [Fact]
    public void Refuses_a_prompt_that_cannot_fit_with_its_output()
    {
        using var context = fixture.CreateContext(contextSize: 256);
        var prompt = Enumerable.Repeat(Prompt[1], context.ContextSizePerSequence - 3).ToArray();

        var error = Assert.Throws<ArgumentException>(() => context.Generate(prompt, new GenerationOptions { MaxTokens = 5 }));
        Assert.Contains("do not fit", error.Message);
        Assert.Equal(3, context.Generate(prompt, new GenerationOptions { MaxTokens = 3 }).GeneratedTokens);
    }

    [Fact]
    public void Decodes_a_prompt_longer_than_the_batch_in_chunks()
    {
        using var small = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 512, BatchSize = 16 });
        using var large = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 512, BatchSize = 256 });
        var prompt = fixture.Model.Tokenize(string.Join(' ', Enumerable.Range(1, 40).Select(i => $"line {i}")));
        Assert.True(prompt.Length > 3 * small.BatchSize);

        var chunked = small.Generate(prompt, new GenerationOptions { MaxTokens = 8 });
        var whole = large.Generate(prompt, new GenerationOptions { MaxTokens = 8 });

        Assert.Equal(whole.TokenIds, chunked.TokenIds);
    }

    [Fact]
    public void Keeps_the_native_model_alive_while_a_context_uses_it()
    {
        var model = LlamaModel.Load(fixture.ModelPath);
        var context = model.CreateContext(new LlamaContextOptions { ContextSize = 256 });

        model.Dispose();
        var result = context.Generate(model.Tokenize("still here"), new GenerationOptions { MaxTokens = 3 });
        context.Dispose();

        Assert.Equal(3, result.GeneratedTokens);
        Assert.Throws<ObjectDisposedException>(() => context.Generate([1, 2], new GenerationOptions { MaxTokens = 1 }));
    }
}
