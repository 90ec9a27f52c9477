namespace DocExtract.Llama.Tests;

/// <summary>The continuous-batching scheduler of issue #5, on the tiny generated model.</summary>
[Collection(LlamaCollection.Name)]
public sealed class Batching_documents(LlamaFixture fixture)
{
    private static readonly string[] _documents =
    [
        "Invoice A17 from ACME Tools, total 12.50, paid by card.",
        "Delivery note 7 for order 4411, shipped to Rotterdam on the second of May.",
        "Invoice 2024-118: consulting, 40 hours at 95 per hour, due in 30 days, not paid.",
        "Receipt for one coffee and two croissants.",
        "Credit note C-9 cancelling invoice A12 in full.",
        "Invoice 551 from Globex, 3 pallets of paper, total 1840, paid.",
    ];

    private int[] Prefix(string instructions = "Extract the invoice number, the total and whether it was paid, as JSON.") =>
        fixture.Model.Tokenize(fixture.Model.ApplyChatTemplate([LlamaChatMessage.System(instructions)], addAssistantPrompt: false), addSpecial: true, parseSpecial: true);

    private int[] Rest(string document) => fixture.Model.Tokenize($"<|im_start|>user\n{document}<|im_end|>\n<|im_start|>assistant\n", addSpecial: false, parseSpecial: true);

    [Theory]
    [InlineData(0, 0f)]
    [InlineData(2, 0f)]
    [InlineData(2, 1.0f)]
    public async Task Gives_each_document_the_output_it_gets_alone(int cachedPrefixes, float temperature)
    {
        var options = new GenerationOptions
        {
            Grammar = Grammars.Invoice,
            MaxTokens = 60,
            Sampler = temperature == 0 ? SamplerSettings.Greedy : SamplerSettings.Random(temperature, 7),
        };
        var prompts = _documents.Select(d => new ScheduledPrompt("invoice", Prefix(), Rest(d))).ToArray();
        var alone = Alone(prompts, options);

        using var context = CreateContext(4 + cachedPrefixes);
        using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 4, PrefixCacheSize = cachedPrefixes, PromptChunk = 16 });
        var together = await Task.WhenAll(prompts.Select(p => scheduler.SubmitAsync(p, options)));

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i].Text, together[i].Text);
            Assert.Equal(alone[i].TokenIds, together[i].TokenIds);
            Assert.Equal(alone[i].StopReason, together[i].StopReason);
            AssertSameProbabilities(alone[i], together[i]);
        }
    }

    [Fact]
    public async Task Samples_the_documents_of_a_step_side_by_side_with_the_same_results_and_says_where_the_time_went()
    {
        var options = new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 40, Alternatives = 16 };
        var prompts = _documents.Select(d => new ScheduledPrompt(null, [], [.. Prefix(), .. Rest(d)])).ToArray();

        async Task<(GenerationResult[] Results, StepStatistics Steps)> Run(int samplingThreads)
        {
            using var context = CreateContext(4);
            using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 4, SamplingThreads = samplingThreads });
            var results = await Task.WhenAll(prompts.Select(p => scheduler.SubmitAsync(p, options)));
            return (results, scheduler.StepStatistics);
        }

        var (oneByOne, _) = await Run(samplingThreads: 1);
        var (sideBySide, steps) = await Run(samplingThreads: 4);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(oneByOne[i].TokenIds, sideBySide[i].TokenIds);
            Assert.Equal(oneByOne[i].TokenLogProbabilities, sideBySide[i].TokenLogProbabilities);
            Assert.Equal(
                oneByOne[i].Alternatives!.SelectMany(a => a).ToArray(),
                sideBySide[i].Alternatives!.SelectMany(a => a).ToArray());
            Assert.True(sideBySide[i].SamplingTime > TimeSpan.Zero && sideBySide[i].SamplingTime < sideBySide[i].GenerationTime);
        }

        Assert.True(steps.DecodeTime > TimeSpan.Zero, "no decode time recorded");
        Assert.True(steps.SamplingTime > TimeSpan.Zero, "no sampling time recorded");
    }

    [Fact]
    public async Task Cancelling_one_document_frees_its_slot_and_leaves_the_others_unchanged()
    {
        var json = new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 60 };
        var endless = new GenerationOptions { MaxTokens = 3000 };
        var prompts = _documents.Take(3).Select(d => new ScheduledPrompt("invoice", Prefix(), Rest(d))).ToArray();
        var alone = Alone([prompts[0], prompts[2]], json);
        using var context = CreateContext(3, perSequence: 4096);
        using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 2, PrefixCacheSize = 1 });
        using var cancellation = new CancellationTokenSource();

        var first = scheduler.SubmitAsync(prompts[0], json);
        var cancelled = scheduler.SubmitAsync(prompts[1], endless, cancellation.Token);
        // Two slots: the third document can only start once the cancelled one has given its slot back.
        var third = scheduler.SubmitAsync(prompts[2], json);
        Assert.Equal(alone[0].TokenIds, (await first).TokenIds);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var after = await third.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(alone[1].TokenIds, after.TokenIds);
        AssertSameProbabilities(alone[1], after);
        Assert.Equal(0, context.GetSequenceLength(0));
        Assert.Equal(0, context.GetSequenceLength(1));
        Assert.Equal(prompts[0].Prefix.Length, context.GetSequenceLength(2));
    }

    [Fact]
    public async Task A_failing_document_frees_its_slot_and_leaves_the_others_unchanged()
    {
        var json = new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 60 };
        // No token can produce code point 0 (llama.cpp ends a token's code points there), so once "a" is out the
        // grammar allows nothing, not even the end: the sampler fails on the document's second token.
        var deadEnd = new GenerationOptions { Grammar = "root ::= \"a\" \"\\x00\"", MaxTokens = 60 };
        var prompts = _documents.Take(3).Select(d => new ScheduledPrompt("invoice", Prefix(), Rest(d))).ToArray();
        var alone = Alone([prompts[0], prompts[2]], json);
        using var context = CreateContext(3);
        using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 2, PrefixCacheSize = 1 });

        var first = scheduler.SubmitAsync(prompts[0], json);
        var failing = scheduler.SubmitAsync(prompts[1], deadEnd);
        // Two slots: the third document can only start once the failed one has given its slot back.
        var third = scheduler.SubmitAsync(prompts[2], json);

        var error = await Assert.ThrowsAsync<LlamaException>(() => failing);
        Assert.Contains("grammar allows no token", error.Message);
        var results = await Task.WhenAll(first, third).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(alone[0].TokenIds, results[0].TokenIds);
        Assert.Equal(alone[1].TokenIds, results[1].TokenIds);
        AssertSameProbabilities(alone[1], results[1]);
        Assert.Equal(0, context.GetSequenceLength(0));
        Assert.Equal(0, context.GetSequenceLength(1));
    }

    [Fact]
    public async Task Keeps_the_most_recently_used_prefixes_and_counts_hits()
    {
        var options = new GenerationOptions { MaxTokens = 4 };
        var instructions = new[] { "Extract invoices.", "Extract delivery notes.", "Extract receipts." };
        using var context = CreateContext(3);
        using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 1, PrefixCacheSize = 2 });
        var reused = new List<int>();

        foreach (var type in new[] { 0, 1, 0, 2, 0, 1, 0 })
        {
            var prompt = new ScheduledPrompt(instructions[type], Prefix(instructions[type]), Rest(_documents[type]));
            var result = await scheduler.SubmitAsync(prompt, options);
            reused.Add(result.PromptTokensReused);
            Assert.Equal(prompt.Length, result.PromptTokens);
        }

        // 0 miss, 1 miss, 0 hit, 2 miss (evicts 1), 0 hit, 1 miss (evicts 2), 0 hit.
        var prefix0 = Prefix(instructions[0]).Length;
        Assert.Equal([0, 0, prefix0, 0, prefix0, 0, prefix0], reused);
        Assert.Equal(new PrefixCacheStatistics(Hits: 3, Misses: 4, Evictions: 2, TokensSaved: 3 * prefix0), scheduler.PrefixStatistics);
    }

    [Fact]
    public async Task Records_the_time_a_document_waited_for_a_slot()
    {
        var options = new GenerationOptions { MaxTokens = 200 };
        using var context = CreateContext(1);
        using var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 1 });

        var first = scheduler.SubmitAsync(ScheduledPrompt.Unshared(Rest(_documents[0])), options);
        var second = await scheduler.SubmitAsync(ScheduledPrompt.Unshared(Rest(_documents[1])), options);
        var done = await first;

        Assert.Equal(200, done.GeneratedTokens);
        Assert.Equal(0, second.PromptTokensReused);
        Assert.Equal(Rest(_documents[1]).Length, second.PromptTokens);
        Assert.True(second.QueueTime >= done.GenerationTime, $"queued {second.QueueTime}, the first generated for {done.GenerationTime}");
        Assert.True(done.PromptTime > TimeSpan.Zero);
    }

    /// <summary>
    /// The tokens are the same; their log-probabilities only to about 1e-5 here (up to ~4e-3 on longer prompts). A
    /// token's logits depend in the last bits on how many tokens share its micro-batch: below a few tokens ggml's CPU
    /// matrix product takes another kernel. Measured: the same sequence state decoded beside 1 other token or beside
    /// 7 gives logits that differ in the 7th digit; a 700-token prompt decoded whole or as 700 + 12 tokens differs by
    /// 1e-3 (no batching, one sequence); chunks of 16, 128, 256 or 512 tokens give identical bits. A generation step
    /// alone is 1 token wide, batched N wide, and a copied prefix splits the prompt where the prefix ends. Exact
    /// equality would need every step alone, which is what batching exists to avoid.
    /// </summary>
    private static void AssertSameProbabilities(GenerationResult alone, GenerationResult together)
    {
        var worst = alone.TokenLogProbabilities.Zip(together.TokenLogProbabilities, (a, b) => Math.Abs(a - b)).DefaultIfEmpty().Max();
        Assert.True(worst < 1e-3, $"log-probabilities differ by up to {worst}");
    }

    [Fact]
    public async Task Stopping_fails_waiting_documents_and_refuses_new_ones()
    {
        using var context = CreateContext(1, perSequence: 4096);
        var scheduler = new BatchScheduler(context, new BatchSchedulerOptions { Slots = 1 });
        var running = scheduler.SubmitAsync(ScheduledPrompt.Unshared(Rest(_documents[0])), new GenerationOptions { MaxTokens = 3000 });
        var waiting = scheduler.SubmitAsync(ScheduledPrompt.Unshared(Rest(_documents[1])), new GenerationOptions { MaxTokens = 5 });

        scheduler.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => scheduler.SubmitAsync(ScheduledPrompt.Unshared(Rest(_documents[2])), new GenerationOptions()));
        Assert.Equal(0, context.GetSequenceLength(0));
    }

    private LlamaContext CreateContext(int sequences, int perSequence = 512) =>
        fixture.Model.CreateContext(new LlamaContextOptions { ContextSize = perSequence * sequences, BatchSize = 128, MaxSequences = sequences });

    private GenerationResult[] Alone(IEnumerable<ScheduledPrompt> prompts, GenerationOptions options)
    {
        using var context = CreateContext(1);
        return [.. prompts.Select(p => context.Generate([.. p.Prefix, .. p.Rest], options))];
    }
}
