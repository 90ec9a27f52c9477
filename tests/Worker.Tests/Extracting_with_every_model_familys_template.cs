using DocExtract.Llama.Models;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using DocExtract.TestSupport;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Issue #11: a random-weight model on each real tokenizer of llama.cpp's vocab files, with the file's own chat
/// template where it has one, through the worker's extraction path. Each gives JSON valid against the schema, or
/// stops at start-up naming Llm:ChatTemplate and then works with the template set there. The schema is a small
/// invoice stamp, not the built-in invoice: a random model's answer to that runs to hundreds of tokens per family,
/// and what differs between families here is the tokenizer and the template, not the schema.
/// The BERT vocabularies (bert-bge, nomic-bert-moe) are left out: encoders, not models that generate.
/// </summary>
public sealed class Extracting_with_every_model_familys_template
{
    public const string Unrecognized = "unrecognized";

    /// <summary>The vocab file; Llm:ChatTemplate or null; the template the result records, or <see cref="Unrecognized"/>.</summary>
    public static TheoryData<string, string?, string> Families() => new()
    {
        { "ggml-vocab-qwen2.gguf", null, "model" },
        { "ggml-vocab-qwen35.gguf", null, "model" },
        { "ggml-vocab-phi-3.gguf", null, "model" },
        { "ggml-vocab-command-r.gguf", null, "model" },
        { "ggml-vocab-gemma-4.gguf", null, Unrecognized },
        { "ggml-vocab-llama-spm.gguf", null, "none" },
        { "ggml-vocab-llama-spm.gguf", "llama2", "llama2" },
        { "ggml-vocab-llama-bpe.gguf", "llama3", "llama3" },
        { "ggml-vocab-deepseek-llm.gguf", "deepseek", "deepseek" },
        { "ggml-vocab-deepseek-coder.gguf", null, "none" },
        { "ggml-vocab-falcon.gguf", null, "none" },
        { "ggml-vocab-mpt.gguf", "chatml", "chatml" },
        { "ggml-vocab-gpt-2.gguf", null, "none" },
        { "ggml-vocab-gpt-neox.gguf", null, "none" },
        { "ggml-vocab-starcoder.gguf", null, "none" },
        { "ggml-vocab-refact.gguf", null, "none" },
        { "ggml-vocab-aquila.gguf", null, "none" },
        { "ggml-vocab-baichuan.gguf", null, "none" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Gives_schema_valid_json_or_stops_at_start_naming_the_setting(string vocab, string? chatTemplate, string expected)
    {
        var model = TestModels.GetOrCreate(RandomModelSpec.Tiny with
        {
            VocabFile = vocab,
            ChatTemplate = null,
            EmbeddingLength = 32,
            BlockCount = 1,
            FeedForwardLength = 64,
        });

        if (expected == Unrecognized)
        {
            await using var refused = Pipeline(model, chatTemplate);
            var error = Assert.Throws<LlmSetupException>(() => refused.Get<LlmEngine>().EnsureLoaded());
            Assert.Contains(PromptTemplate.Setting, error.Message);
            Assert.Contains("chatml", error.Message);
            Assert.False(refused.Get<LlmEngine>().IsLoaded);
            (chatTemplate, expected) = ("chatml", "chatml");
        }

        await using var pipeline = Pipeline(model, chatTemplate);
        var (text, schema) = await InvoiceStampAsync(pipeline);

        var result = await Assert.IsType<LlmExtraction>(pipeline.Get<IStructuredExtraction>()).ExtractAsync(text, schema, CancellationToken.None);

        Assert.Equal(LlmExtraction.ExtractedState, result.State);
        Assert.Empty(schema.Validator.Validate(result.Data!.Value.GetRawText()));
        Assert.Equal(expected, result.Details!["model"]!["chatTemplate"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_setting_that_is_neither_a_built_in_template_nor_a_file_stops_the_start_naming_it()
    {
        await using var pipeline = Pipeline(TestModels.Tiny, "no-such-template");

        var error = Assert.Throws<LlmSetupException>(() => pipeline.Get<LlmEngine>().EnsureLoaded());

        Assert.Contains("Llm:ChatTemplate 'no-such-template'", error.Message);
        Assert.Contains("llama3", error.Message);
    }

    [Fact]
    public async Task A_template_file_is_used_and_recorded_by_its_name()
    {
        var file = Path.Combine(Path.GetTempPath(), $"docextract-template-{Guid.NewGuid():N}.jinja");
        await File.WriteAllTextAsync(file, RandomModelSpec.Tiny.ChatTemplate);
        try
        {
            await using var pipeline = Pipeline(TestModels.Tiny, file);
            var (text, schema) = await InvoiceStampAsync(pipeline);

            var result = await Assert.IsType<LlmExtraction>(pipeline.Get<IStructuredExtraction>()).ExtractAsync(text, schema, CancellationToken.None);

            Assert.Equal(LlmExtraction.ExtractedState, result.State);
            Assert.Equal($"file:{Path.GetFileName(file)}", result.Details!["model"]!["chatTemplate"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string InvoiceStamp = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Invoice stamp",
          "description": "The number of an invoice and whether it is marked paid.",
          "type": "object",
          "additionalProperties": false,
          "required": ["number", "paid"],
          "properties": {
            "number": { "type": ["string", "null"], "maxLength": 6, "description": "The invoice number as printed." },
            "paid": { "type": "boolean", "description": "Whether the invoice is marked paid." }
          }
        }
        """;

    private static async Task<(ExtractedText Text, DocumentSchema Schema)> InvoiceStampAsync(LlmPipeline pipeline) => (
        await pipeline.TextOfAsync(LlmPipeline.SampleDocument("invoice")),
        await DocumentSchemaLoader.LoadAsync("invoice-stamp", System.Text.Encoding.UTF8.GetBytes(InvoiceStamp), new GbnfOptions()));

    private static LlmPipeline Pipeline(string model, string? chatTemplate) => new(new Dictionary<string, string?>
    {
        ["Llm:ModelPath"] = model,
        ["Llm:ChatTemplate"] = chatTemplate,
        ["Llm:MaxAttempts"] = "1",
    });
}
