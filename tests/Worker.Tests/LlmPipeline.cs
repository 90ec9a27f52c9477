using DocExtract.Pipeline;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Worker.Tests;

/// <summary>The worker's text and LLM stages as the worker composes them, on a generated model.</summary>
public sealed class LlmPipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public LlmPipeline(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:ModelPath"] = TestModels.Tiny,
            ["Llm:ContextSize"] = "4096",
            ["Schemas:Directory"] = Path.Combine(Repository.Root, "schemas"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddLogging().AddDocExtractPipeline(configuration).BuildServiceProvider();
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<ExtractedText> TextOfAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"docextract-llm-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            return await Get<PdfTextExtractor>().ExtractAsync(path, CancellationToken.None);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static byte[] SampleDocument(string kind) => TestPdfs.WithPages(
        $"{kind.ToUpperInvariant()}\nAcme Supplies Ltd, 12 Harbour Road, Bristol\nTo: Jones & Partners LLP\nDate: 2 March 2026\n" +
        "Reference: INV-2026-0042\nTotal: 631.20 GBP\nIBAN GB82 WEST 1234 5698 7654 32");

    /// <summary><see cref="CustomSchemas.ShortReceipt"/> as a document type: short answers, for tests of how the stage runs.</summary>
    public static Task<DocumentSchema> ShortReceiptAsync() =>
        DocumentSchemaLoader.LoadAsync("short-receipt", System.Text.Encoding.UTF8.GetBytes(CustomSchemas.ShortReceipt), new GbnfOptions());

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
