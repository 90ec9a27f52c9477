using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// A generated PDF several times longer than a small context, read in page windows on the generated model. The
/// reference is forced by the schema (<c>const</c>) and printed on one late page only, so its evidence must point
/// there; the codes are the model's own picks, merged across windows.
/// </summary>
public sealed class Extracting_a_document_longer_than_the_context : IDisposable
{
    private const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Page lines",
          "description": "A long listing.",
          "type": "object",
          "additionalProperties": false,
          "required": ["reference", "codes"],
          "properties": {
            "reference": { "const": "INV-2026-0042", "description": "The reference." },
            "codes": { "type": "array", "maxItems": 2, "items": { "enum": ["alpha", "beta"] }, "description": "Codes." }
          }
        }
        """;

    private readonly string _schemas = Directory.CreateTempSubdirectory("docextract-windows-").FullName;

    public Extracting_a_document_longer_than_the_context() => File.WriteAllText(Path.Combine(_schemas, "page-lines.json"), Schema);

    private static string Page(int number) => string.Join('\n', Enumerable.Range(1, 8).Select(i =>
        $"Item {number}.{i}: consulting services, {i} hours at 95.00 EUR")) + (number == 5 ? "\nReference: INV-2026-0042" : "");

    [Fact]
    public async Task It_is_read_in_page_windows_that_fit_and_their_answers_are_merged()
    {
        await using var pipeline = Pipeline("768");
        var text = await pipeline.TextOfAsync(TestPdfs.WithPages([.. Enumerable.Range(1, 6).Select(Page)]));
        var type = (await pipeline.Get<SchemaCatalog>().FindAsync("page-lines"))!;
        var whole = ExtractionPrompt.Tokenize(pipeline.Get<LlmEngine>().Model, ExtractionPrompt.Instructions(type), ExtractionPrompt.DocumentText(text.Pages));
        Assert.True(whole.Length > 768, $"the document should not fit the context: {whole.Length} tokens");

        var result = await pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "page-lines", CancellationToken.None);

        var windows = result.Windows!;
        Assert.True(windows.Count >= 2, $"{windows.Count} window(s)");
        Assert.Equal(Enumerable.Range(1, 6), windows.SelectMany(w => w.Pages));
        Assert.All(windows, w => Assert.Equal(Enumerable.Range(w.Pages[0], w.Pages.Length), w.Pages));
        Assert.All(windows, w => Assert.InRange(w.PromptTokens, 1, 768 - 64));
        Assert.Equal(windows.Sum(w => w.GeneratedTokens), result.Details!["tokens"]!["generated"]!.GetValue<int>());
        Assert.Empty(type.Validator.Validate(result.Data!.Value.GetRawText()));
        var codes = result.Data!.Value.GetProperty("codes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(codes.Distinct(), codes);
        var reference = result.Fields.Single(f => f.Pointer == "/reference");
        Assert.InRange(reference.Confidence, 0.999, 1);
        Assert.Equal((5, "INV-2026-0042"), (reference.Evidence!.Page, reference.Evidence.Quote));
        Assert.Equal(codes.Count, result.Fields.Count(f => f.Pointer.StartsWith("/codes/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_single_page_larger_than_a_window_fails_naming_the_page_and_the_limit()
    {
        await using var pipeline = Pipeline("768");
        var huge = string.Join('\n', Enumerable.Range(1, 6).Select(Page));
        var text = new ExtractedText(
            [new PageText(1, Page(1), PdfTextExtractor.TextLayerSource), new PageText(2, huge, PdfTextExtractor.TextLayerSource)], "test", TimeSpan.Zero);

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() =>
            pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "page-lines", CancellationToken.None));

        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(failure.Message,
            @"the context holds 768 \(Llm:ContextSize\); it is read in windows of whole pages, but page 2 alone is \d+ tokens and a window holds \d+"), failure.Message);
    }

    public void Dispose() => Directory.Delete(_schemas, recursive: true);

    private LlmPipeline Pipeline(string context) => new(new Dictionary<string, string?>
    {
        ["Schemas:Directory"] = _schemas,
        ["Llm:ContextSize"] = context,
    });
}
