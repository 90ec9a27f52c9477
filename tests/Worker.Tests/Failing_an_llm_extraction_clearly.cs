using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Worker.Tests;

public sealed class Failing_an_llm_extraction_clearly
{
    [Fact]
    public async Task A_document_longer_than_the_context_fails_naming_its_tokens_and_the_limit()
    {
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?> { ["Llm:ContextSize"] = "512" });
        var longText = string.Join('\n', Enumerable.Range(0, 120).Select(i => $"Line {i}: consulting services rendered, 4 hours at 95.00 EUR"));
        var text = new ExtractedText([new PageText(1, longText, PdfTextExtractor.TextLayerSource)], "test", TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() =>
            pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "invoice", CancellationToken.None));

        Assert.Matches(@"too long for the model's context: its prompt is \d{4,} tokens and the context holds 512", failure.Message);
    }

    [Fact]
    public async Task An_answer_that_never_completes_fails_after_the_bounded_attempts()
    {
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?>
        {
            ["Llm:MaxOutputTokens"] = "4",
            ["Llm:MaxAttempts"] = "2",
        });
        var text = await pipeline.TextOfAsync(LlmPipeline.SampleDocument("invoice"));

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() =>
            pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "invoice", CancellationToken.None));

        Assert.Equal("the model gave no valid answer in 2 attempt(s): the answer was still incomplete after 8 tokens (Llm:MaxOutputTokens)", failure.Message);
        // What the two attempts used travels with the failure, for the usage ledger: 4 tokens, then 8.
        var tokens = failure.Details!["tokens"]!;
        Assert.Equal((12, 2), ((int)tokens["generated"]!, (int)failure.Details["attempts"]!));
        Assert.True((int)tokens["prompt"]! > 0);
        Assert.NotNull((string?)failure.Details["model"]!["sha256"]);
    }

    [Fact]
    public async Task A_cancelled_document_leaves_the_engine_ready_and_unchanged_for_the_next()
    {
        await using var pipeline = new LlmPipeline();
        var extraction = pipeline.Get<IStructuredExtraction>();
        var text = await pipeline.TextOfAsync(LlmPipeline.SampleDocument("invoice"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = await extraction.ExtractAsync(text, "bank-statement", CancellationToken.None);
        var uncancelled = clock.Elapsed;

        // A third of the way through the same work: well inside generation, whatever the machine's speed.
        using var cancel = new CancellationTokenSource(uncancelled / 3);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => extraction.ExtractAsync(text, "bank-statement", cancel.Token));
        var after = await extraction.ExtractAsync(text, "bank-statement", CancellationToken.None);

        Assert.Equal(before.Data!.Value.GetRawText(), after.Data!.Value.GetRawText());
    }
}
