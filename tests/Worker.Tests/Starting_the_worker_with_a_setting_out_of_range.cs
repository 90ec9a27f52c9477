using DocExtract.Operations.Outbox;
using DocExtract.Operations.Settings;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Worker.Extensions;
using DocExtract.Worker.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>The worker's settings as bound from <paramref name="settings"/>, without starting it.</summary>
    private static WorkerOptions Bound(params string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(settings);
        builder.AddDocExtractWorker();
        using var host = builder.Build();
        return host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerOptions>>().Value;
    }

    [Fact]
    public void Delayed_redeliveries_default_to_one_five_and_fifteen_minutes_and_a_list_replaces_them()
    {
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)], Bound().Delays);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)],
            Bound("--Worker:DelayedRedeliveries:0=00:00:02", "--Worker:DelayedRedeliveries:1=00:00:30").Delays);
    }

    [Fact]
    public void An_empty_list_of_delayed_redeliveries_switches_them_off()
    {
        Assert.Empty(Bound("--Worker:DelayedRedeliveries=").Delays);

        var builder = Host.CreateApplicationBuilder([]);
        builder.Configuration.AddJsonStream(new MemoryStream("""{ "Worker": { "DelayedRedeliveries": [] } }"""u8.ToArray()));
        builder.AddDocExtractWorker();
        using var host = builder.Build();
        Assert.Empty(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerOptions>>().Value.Delays);
    }

    [Fact]
    public async Task A_delay_out_of_range_stops_the_worker_naming_the_setting()
    {
        var refusal = await StartAsync(("Worker:DelayedRedeliveries:0", "00:01:00"), ("Worker:DelayedRedeliveries:1", "-00:00:05"));

        Assert.NotNull(refusal);
        Assert.Contains("Worker:DelayedRedeliveries:1 must be between 00:00:00.001 and 1.00:00:00, not -00:00:05", refusal.ToString(), StringComparison.Ordinal);
        Assert.Equal(["Worker:DelayedRedeliveries:0 must be between 00:00:00.001 and 1.00:00:00, not 2.00:00:00: each entry is how long a message waits before it is handled again"],
            Problems(WorkerOptions.Section, new WorkerOptions { DelayedRedeliveries = [TimeSpan.FromDays(2)] }));
        Assert.Contains("Worker:DelayedRedeliveries is a list, not '00:05:00': give Worker:DelayedRedeliveries:0",
            (await StartAsync(("Worker:DelayedRedeliveries", "00:05:00")))?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Worker:DelayedRedeliveries lists 21 delays, more than 20",
            Problems(WorkerOptions.Section, new WorkerOptions { DelayedRedeliveries = [.. Enumerable.Repeat(TimeSpan.FromSeconds(1), 21)] }).Single(),
            StringComparison.Ordinal);
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
