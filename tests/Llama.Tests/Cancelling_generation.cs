namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class Cancelling_generation(LlamaFixture fixture)
{
    private int[] Prompt => fixture.Model.Tokenize("Invoice number 42 from ACME, total due");

    [Fact]
    public void Throws_and_leaves_the_context_as_good_as_new()
    {
        using var context = fixture.CreateContext(contextSize: 4096);
        using var expected = fixture.CreateContext();
        var reference = expected.Generate(Prompt, new GenerationOptions { MaxTokens = 12 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        // 4000 tokens take seconds even for the tiny model, so the cancellation lands mid-generation.
        Assert.ThrowsAny<OperationCanceledException>(() =>
            context.Generate(Prompt, new GenerationOptions { MaxTokens = 4000 }, cancellation.Token));

        Assert.Equal(0, context.GetSequenceLength(0));
        var after = context.Generate(Prompt, new GenerationOptions { MaxTokens = 12 });
        Assert.Equal(reference.TokenIds, after.TokenIds);
        Assert.Equal(reference.TokenLogProbabilities, after.TokenLogProbabilities);
    }

    [Fact]
    public void Throws_during_a_long_prompt_and_leaves_the_context_usable()
    {
        using var context = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 4096, BatchSize = 4096 });
        var prompt = Enumerable.Range(0, 4000).Select(i => 100 + (i % 1000)).ToArray();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));

        Assert.ThrowsAny<OperationCanceledException>(() =>
            context.Generate(prompt, new GenerationOptions { MaxTokens = 10 }, cancellation.Token));

        Assert.Equal(0, context.GetSequenceLength(0));
        Assert.Equal(4, context.Generate(Prompt, new GenerationOptions { MaxTokens = 4 }).GeneratedTokens);
    }

    [Fact]
    public void Throws_before_any_work_when_already_cancelled()
    {
        using var context = fixture.CreateContext();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            context.Generate(Prompt, new GenerationOptions { MaxTokens = 5 }, new CancellationToken(canceled: true)));

        Assert.Equal(0, context.GetSequenceLength(0));
    }
}
