using Xunit.Abstractions;

namespace DocExtract.Llama.Tests;

/// <summary>A worker loads, generates, cancels and disposes for days: none of it may leak memory, files or threads.</summary>
[Collection(LlamaCollection.Name)]
public sealed class Running_many_cycles(LlamaFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Keeps_memory_file_handles_and_threads_bounded()
    {
        for (var i = 0; i < 3; i++)
        {
            Cycle();
        }

        var before = ProcessUsage.Measure();
        for (var i = 0; i < 40; i++)
        {
            Cycle();
        }

        var after = ProcessUsage.Measure();
        output.WriteLine($"after 3 warm-up cycles: {before}; after 40 more: {after}");

        Assert.True(after.ResidentBytes - before.ResidentBytes < 48L << 20, $"resident memory grew from {before} to {after}");
        Assert.True(after.FileDescriptors - before.FileDescriptors <= 2, $"file descriptors grew from {before} to {after}");
        Assert.True(after.Threads - before.Threads <= 2, $"threads grew from {before} to {after}");
    }

    private void Cycle()
    {
        using var model = LlamaModel.Load(fixture.ModelPath);
        using var context = model.CreateContext(new LlamaContextOptions { ContextSize = 512, BatchSize = 64 });
        var prompt = model.Tokenize("Invoice 42 from ACME");
        context.Generate(prompt, new GenerationOptions { Grammar = Grammars.Invoice, MaxTokens = 8 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        try
        {
            context.Generate(prompt, new GenerationOptions { MaxTokens = 480 }, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected on most cycles; a fast machine may finish first, which exercises the normal path instead.
        }

        Assert.Throws<LlamaGrammarException>(() => context.Generate(prompt, new GenerationOptions { Grammar = "root ::= x" }));
    }
}

/// <summary>The process's resident memory, open descriptors and threads, from /proc/self.</summary>
internal sealed record ProcessUsage(long ResidentBytes, int FileDescriptors, int Threads)
{
    public static ProcessUsage Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var status = File.ReadAllLines("/proc/self/status");
        long Field(string name) => long.Parse(
            status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture);
        return new ProcessUsage(Field("VmRSS") * 1024, Directory.GetFileSystemEntries("/proc/self/fd").Length, (int)Field("Threads"));
    }

    public override string ToString() => $"{ResidentBytes >> 20} MiB, {FileDescriptors} fds, {Threads} threads";
}
