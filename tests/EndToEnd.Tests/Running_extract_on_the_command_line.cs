using System.Diagnostics;
using System.Text.Json;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.EndToEnd.Tests;

/// <summary>`extract`: the worker's own stages in one process, no broker, no database.</summary>
public sealed class Running_extract_on_the_command_line
{
    private static readonly string SampleInvoice = Path.Combine(Repository.Root, "samples", "sample-invoice.pdf");

    private const string PaymentSlip = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Payment slip","description":"A request to pay.",
         "type":"object","additionalProperties":false,"required":["payee","amount"],
         "properties":{"payee":{"type":["string","null"],"maxLength":80,"description":"Who is paid."},
                       "amount":{"type":["number","null"],"description":"How much."}}}
        """;

    [Fact]
    public async Task Prints_json_valid_against_the_named_type()
    {
        var (code, output, errors) = await RunAsync(SampleInvoice, "--schema", "invoice", "--model", TestModels.Tiny, "--context", "4096");

        Assert.True(code == 0, errors);
        using var result = JsonDocument.Parse(output);
        var invoice = (await new SchemaCatalog(new SchemaCatalogOptions { Folder = Path.Combine(Repository.Root, "schemas") }).FindAsync("invoice"))!;
        Assert.Equal("invoice", result.RootElement.GetProperty("schema").GetString());
        Assert.Empty(invoice.Validator.Validate(result.RootElement.GetProperty("data").GetRawText()));
        // The random model's values are noise, so only that every rule of the type reported is checked here.
        Assert.Equal(invoice.Rules.Select(rule => rule.Name),
            result.RootElement.GetProperty("rules").EnumerateArray().Select(rule => rule.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Takes_a_schema_file_by_its_path()
    {
        var folder = Directory.CreateTempSubdirectory("docextract-cli-").FullName;
        var schema = Path.Combine(folder, "payment-slip.json");
        await File.WriteAllTextAsync(schema, PaymentSlip);
        try
        {
            var (code, output, errors) = await RunAsync(SampleInvoice, "--schema", schema, "--model", TestModels.Tiny, "--context", "4096");

            Assert.True(code == 0, errors);
            using var result = JsonDocument.Parse(output);
            Assert.Equal("payment-slip", result.RootElement.GetProperty("schema").GetString());
            Assert.Equal(["payee", "amount"], result.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_whose_chat_template_llama_cpp_does_not_know_exits_2_naming_the_setting_then_works_with_it()
    {
        // The Gemma 4 tokenizer's own template: llama.cpp does not recognize it (issue #11; it used to abort the process).
        var gemma = TestModels.GetOrCreate(TestModelSpec.Tiny with
        {
            VocabFile = "ggml-vocab-gemma-4.gguf", ChatTemplate = null, EmbeddingLength = 32, BlockCount = 1, FeedForwardLength = 64,
        });

        var folder = Directory.CreateTempSubdirectory("docextract-cli-").FullName;
        var schema = Path.Combine(folder, "payment-slip.json");
        await File.WriteAllTextAsync(schema, PaymentSlip);
        try
        {
            var (code, output, errors) = await RunAsync(SampleInvoice, "--schema", schema, "--model", gemma, "--context", "2048");
            var (fixedCode, fixedOutput, fixedErrors) = await RunAsync(
                SampleInvoice, "--schema", schema, "--model", gemma, "--context", "2048", "--Llm:ChatTemplate", "gemma");

            Assert.Equal(2, code);
            Assert.Empty(output);
            Assert.Contains("Llm:ChatTemplate", errors);
            Assert.True(fixedCode == 0, fixedErrors);
            using var result = JsonDocument.Parse(fixedOutput);
            Assert.Equal("gemma", result.RootElement.GetProperty("dataStatus").GetProperty("details").GetProperty("model").GetProperty("chatTemplate").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_password_protected_pdf_exits_1_with_the_reason()
    {
        var (code, output, errors) = await RunAsync(CorpusCase.Named("pdfjs_issue6010_1_password.pdf").Path, "--schema", "invoice");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("encrypted: a password is required", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_file_it_explains_its_usage_and_exits_2()
    {
        var (code, _, errors) = await RunAsync("--schema", "invoice");

        Assert.Equal(2, code);
        Assert.Contains("no PDF given", errors, StringComparison.Ordinal);
        Assert.Contains("usage: extract <file.pdf>", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.ProjectOutput("Cli", "extract.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
