using DocExtract.Persistence.Entities;
using DocExtract.TestSupport.Pdfs;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Worker.Tests;

/// <summary>The usage ledger (issue #12): a finished document leaves one row with the tokens its result reports.</summary>
public sealed class Recording_usage : IAsyncLifetime
{
    // What LlmExtraction writes into the result's details: the extraction's tokens and the classification's.
    private const string LlmDetails = """
        {
          "model": { "file": "tiny.gguf", "sha256": "ab12" },
          "classification": { "tokens": { "prompt": 300, "promptEvaluated": 300, "promptReused": 0, "generated": 3 } },
          "tokens": { "prompt": 1200, "promptEvaluated": 400, "promptReused": 800, "generated": 95 }
        }
        """;

    private ProcessorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Worker:ConcurrentMessageLimit"] = "3",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_processed_document_writes_its_usage_row_with_the_tokens_its_result_reports()
    {
        _harness.Answer.Details = LlmDetails;

        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A letter"), "letter");

        var row = await SingleRowAsync(id);
        using var result = await _harness.ResultOfAsync(id);
        var content = result.RootElement;
        var tokens = content.GetProperty("dataStatus").GetProperty("details").GetProperty("tokens");
        Assert.Equal(tokens.GetProperty("promptEvaluated").GetInt32() + 300, row.PromptTokensEvaluated);
        Assert.Equal(tokens.GetProperty("promptReused").GetInt32(), row.PromptTokensReused);
        Assert.Equal(tokens.GetProperty("generated").GetInt32() + 3, row.GeneratedTokens);
        Assert.Equal(content.GetProperty("extractionId").GetGuid(), row.Id);
        Assert.Equal(("default", "letter", "llm", 0, "tiny.gguf", "ab12", 3),
            (row.TenantId, row.DocumentType, row.Route, row.Tier, row.Model, row.ModelSha256, row.WorkerSlots));
        var timings = content.GetProperty("timings");
        Assert.Equal(timings.GetProperty("textMs").GetDouble(), row.TextMs);
        Assert.Equal(timings.GetProperty("llmMs").GetDouble(), row.LlmMs);
        Assert.NotNull(row.PersistMs);
        Assert.Equal((timings.GetProperty("totalMs").GetDouble() + row.PersistMs.Value) / 1000, row.SlotSeconds, 9);
    }

    [Fact]
    public async Task A_document_read_without_a_model_is_recorded_as_text_only_with_no_tokens()
    {
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A letter"), "letter");

        var row = await SingleRowAsync(id);
        Assert.Equal(("text-only", (string?)null, 0),
            (row.Route, row.Model, row.PromptTokensEvaluated + row.PromptTokensReused + row.GeneratedTokens));
    }

    [Fact]
    public async Task A_document_that_fails_after_the_model_ran_records_what_it_used_as_failed()
    {
        _harness.Answer.Details = LlmDetails;
        _harness.Answer.Failure = "the model gave no valid answer in 3 attempt(s): the answer did not match the schema";

        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A letter"), "letter");

        var row = await SingleRowAsync(id);
        Assert.Equal(("failed", "letter", "tiny.gguf", 400 + 300, 800, 95 + 3),
            (row.Route, row.DocumentType, row.Model, row.PromptTokensEvaluated, row.PromptTokensReused, row.GeneratedTokens));
        Assert.True(row.TextMs > 0, $"text stage {row.TextMs} ms");
        Assert.NotNull(row.PersistMs);
        await using var db = _harness.Database.CreateContext();
        var document = await db.Documents.SingleAsync(d => d.Id == id);
        Assert.Equal((DocumentStatus.Failed, row.Id), (document.Status, document.CurrentExtractionId));
    }

    [Fact]
    public async Task A_document_that_fails_before_any_model_ran_records_its_time_and_no_tokens()
    {
        var id = await _harness.ProcessAsync("%PDF-1.7\nnot really a PDF\n%%EOF\n"u8.ToArray(), "letter");

        var row = await SingleRowAsync(id);
        Assert.Equal(("failed", (string?)null, 0),
            (row.Route, row.Model, row.PromptTokensEvaluated + row.PromptTokensReused + row.GeneratedTokens));
        Assert.True(row.SlotSeconds > 0);
    }

    private async Task<UsageRecord> SingleRowAsync(Guid document)
    {
        await using var db = _harness.Database.CreateContext();
        return Assert.Single(await db.Usage.Where(u => u.DocumentId == document).ToListAsync());
    }
}
