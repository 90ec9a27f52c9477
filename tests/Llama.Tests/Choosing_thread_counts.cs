namespace DocExtract.Llama.Tests;

/// <summary>
/// The generation and batch thread counts of a context, and the scheduler decoding small generation steps on the
/// generation count (issue #5: llama.cpp would run every decode of more than one token on the batch count).
/// </summary>
[Collection(LlamaCollection.Name)]
public sealed class Choosing_thread_counts(LlamaFixture fixture)
{
    [Fact]
    public void A_context_reports_the_counts_llama_cpp_holds_and_takes_new_ones()
    {
        using var context = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 256, BatchSize = 64, Threads = 1, ThreadsBatch = 3 });
        Assert.Equal((1, 3), (context.Threads, context.ThreadsBatch));

        context.SetThreads(2, 1);

        Assert.Equal((2, 1), (context.Threads, context.ThreadsBatch));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(513, 1)]
    [InlineData(1, -4)]
    public void Out_of_range_counts_are_refused_before_llama_cpp_sees_them(int threads, int threadsBatch)
    {
        using var context = fixture.CreateContext();
        var before = (context.Threads, context.ThreadsBatch);

        Assert.Throws<ArgumentOutOfRangeException>(() => context.SetThreads(threads, threadsBatch));

        Assert.Equal(before, (context.Threads, context.ThreadsBatch));
    }

    [Fact]
    public void Options_beyond_ggmls_thread_limit_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 256, ThreadsBatch = 1000 }));
        Assert.Equal("ThreadsBatch", error.ParamName);
    }

    [Fact]
    public async Task A_scheduler_outliving_its_context_stops_without_throwing()
    {
        var context = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 256, BatchSize = 64, Threads = 1, ThreadsBatch = 2 });
        var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 1 });
        context.Dispose();

        scheduler.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => scheduler.SubmitAsync(ScheduledPrompt.Unshared([1, 2]), new GenerationOptions()));
    }

    [Fact]
    public async Task Small_generation_steps_run_on_the_generation_count_with_the_same_output()
    {
        var options = new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 12 };
        string[] texts = ["Invoice 7, total 12.", "Receipt for tea.", "Credit note C-1.", "Invoice 9 from Globex."];
        var prompts = texts
            .Select(text => ScheduledPrompt.Unshared(fixture.Model.Tokenize($"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n", addSpecial: true, parseSpecial: true)))
            .ToArray();

        var (llamaRule, llamaRuleSteps) = await Run(smallStepTokens: 0);
        var (small, smallSteps) = await Run(smallStepTokens: 4);

        Assert.Equal(llamaRule.Select(r => r.TokenIds), small.Select(r => r.TokenIds));
        // With llama.cpp's rule only one-token decodes (a document generating alone) use the generation count; with
        // steps of up to 4 tokens on it, every step without a prompt chunk does, and no step with one.
        Assert.True(smallSteps.StepsOnGenerationThreads > llamaRuleSteps.StepsOnGenerationThreads, $"{smallSteps} against {llamaRuleSteps}");
        Assert.True(smallSteps.StepsOnGenerationThreads < smallSteps.Steps, $"{smallSteps}: prompt steps must stay on the batch count");

        async Task<(GenerationResult[] Results, StepStatistics Steps)> Run(int smallStepTokens)
        {
            using var context = fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = 4 * 256, BatchSize = 64, MaxSequences = 4, Threads = 1, ThreadsBatch = 2 });
            var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 4, PromptChunk = 8, SmallStepTokens = smallStepTokens });
            var results = await Task.WhenAll(prompts.Select(p => scheduler.SubmitAsync(p, options)));
            var steps = scheduler.StepStatistics;
            scheduler.Dispose();
            // The context outlives its scheduler and gets its own counts back.
            Assert.Equal((1, 2), (context.Threads, context.ThreadsBatch));
            return (results, steps);
        }
    }
}
