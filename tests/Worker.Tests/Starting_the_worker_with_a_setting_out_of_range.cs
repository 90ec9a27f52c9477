using DocExtract.Operations.Outbox;
using DocExtract.Operations.Settings;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Worker.Extensions;
using DocExtract.Worker.Processing;
using Microsoft.Extensions.Hosting;

namespace DocExtract.Worker.Tests;

/// <summary>Every section's settings are checked when the worker starts (#16): one out of range stops it, naming the setting.</summary>
public sealed class Starting_the_worker_with_a_setting_out_of_range
{
    private static IReadOnlyList<string> Problems<T>(string section, T options) where T : class =>
        new SettingsValidation<T>(section).Problems(options);

    /// <summary>The worker's host with <paramref name="settings"/>, started: the exception it stops with.</summary>
    private static async Task<Exception?> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder([.. settings.Select(s => $"--{s.Key}={s.Value}")]);
        builder.AddDocExtractWorker();
        using var host = builder.Build();
        return await Record.ExceptionAsync(() => host.StartAsync());
    }

    [Fact]
    public void The_defaults_of_every_worker_section_pass()
    {
        Assert.Empty(Problems(LlmOptions.Section, new LlmOptions()));
        Assert.Empty(Problems(TextExtractionOptions.Section, new TextExtractionOptions()));
        Assert.Empty(Problems(EmbeddedInvoiceOptions.Section, new EmbeddedInvoiceOptions()));
        Assert.Empty(Problems(WorkerOptions.Section, new WorkerOptions()));
        Assert.Empty(Problems(OutboxOptions.Section, new OutboxOptions()));
    }

    [Fact]
    public void More_sequences_than_a_batch_holds_is_an_error_naming_both_settings()
    {
        Assert.Equal(
            ["Llm:MaxSequences (8) plus Llm:PrefixCacheSize (1) must not exceed Llm:BatchSize (4): llama.cpp needs a batch of at least one token per sequence"],
            Problems(LlmOptions.Section, new LlmOptions { MaxSequences = 8, BatchSize = 4 }));
        Assert.Equal(
            ["Llm:MaxSequences (4) must be below Llm:BatchSize (4): a batch needs room for prompt tokens beside one token per document"],
            Problems(LlmOptions.Section, new LlmOptions { MaxSequences = 4, BatchSize = 4, PrefixCacheSize = 0 }));
        Assert.Empty(Problems(LlmOptions.Section, new LlmOptions { MaxSequences = 4, BatchSize = 5 }));
    }

    [Fact]
    public async Task The_worker_refuses_to_start_before_llama_cpp_sees_more_sequences_than_a_batch()
    {
        var refusal = await StartAsync(("Llm:MaxSequences", "8"), ("Llm:BatchSize", "4"));

        Assert.NotNull(refusal);
        Assert.Contains("Llm:MaxSequences (8) plus Llm:PrefixCacheSize (1) must not exceed Llm:BatchSize (4)", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tiers_own_setting_is_checked_too()
    {
        var refusal = await StartAsync(("Llm:Tiers:0:Model", "small.gguf"), ("Llm:Tiers:0:ReviewConfidence", "1.5"));

        Assert.NotNull(refusal);
        Assert.Contains("Llm:ReviewConfidence must be between 0 and 1, not 1.5", refusal.ToString(), StringComparison.Ordinal);
    }
}
