using System.Diagnostics;
using System.Text.Json;
using DocExtract.Llama.Models;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.EndToEnd.Tests;

/// <summary>`extract`: the worker's own stages in one process, no broker, no database.</summary>
public sealed class Running_extract_on_the_command_line
{
    private static readonly string _sampleInvoice = Path.Combine(Repository.Root, "samples", "sample-invoice.pdf");

    [Fact]
    public async Task Prints_json_valid_against_the_named_type()
    {
        var (code, output, errors) = await RunAsync(_sampleInvoice, "--schema", "invoice", "--model", TestModels.Tiny, "--context", "4096");

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
    public async Task Reads_an_e_invoice_from_its_xml_attachment_without_a_model()
    {
        var (code, output, errors) = await RunAsync(Path.Combine(Repository.Corpus, "einvoice", "pdfs", "akretion_invoice_EN16931.pdf"));

        Assert.True(code == 0, errors);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        Assert.Equal(("invoice", "embedded-xml"), (root.GetProperty("schema").GetString(), root.GetProperty("route").GetString()));
        Assert.Equal("F20260023", root.GetProperty("data").GetProperty("invoice_number").GetString());
        Assert.Equal(104.90m, root.GetProperty("data").GetProperty("total").GetDecimal());
        Assert.Equal("factur-x.xml", root.GetProperty("embeddedInvoice").GetProperty("used").GetString());
    }

    [Fact]
    public async Task Carries_every_pages_word_boxes_and_each_evidences_boxes()
    {
        var (code, output, errors) = await RunAsync(Path.Combine(Repository.Corpus, "einvoice", "pdfs", "akretion_invoice_EN16931.pdf"), "--pages");

        Assert.True(code == 0, errors);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        var words = root.GetProperty("pages")[0].GetProperty("words");
        Assert.True(words.GetArrayLength() > 100);
        Assert.All(words.EnumerateArray(), w => Assert.Equal(6, w.GetArrayLength()));
        var total = root.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("pointer").GetString() == "/total").GetProperty("evidence");
        Assert.Equal("104,90", total.GetProperty("quote").GetString());
        var box = Assert.Single(total.GetProperty("boxes").EnumerateArray());
        Assert.Equal(1, box.GetProperty("page").GetInt32());
        // The total is printed bottom right.
        Assert.InRange(box.GetProperty("x0").GetDouble(), 0.5, box.GetProperty("x1").GetDouble());
        Assert.InRange(box.GetProperty("y0").GetDouble(), 0.5, box.GetProperty("y1").GetDouble());
    }

    [Fact]
    public async Task Takes_a_schema_file_by_its_path()
    {
        var folder = Directory.CreateTempSubdirectory("docextract-cli-").FullName;
        var schema = Path.Combine(folder, "payment-slip.json");
        await File.WriteAllTextAsync(schema, CustomSchemas.PaymentSlip);
        try
        {
            var (code, output, errors) = await RunAsync(_sampleInvoice, "--schema", schema, "--model", TestModels.Tiny, "--context", "4096");

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
        var gemma = TestModels.GetOrCreate(RandomModelSpec.Tiny with
        {
            VocabFile = "ggml-vocab-gemma-4.gguf", ChatTemplate = null, EmbeddingLength = 32, BlockCount = 1, FeedForwardLength = 64,
        });

        var folder = Directory.CreateTempSubdirectory("docextract-cli-").FullName;
        var schema = Path.Combine(folder, "payment-slip.json");
        await File.WriteAllTextAsync(schema, CustomSchemas.PaymentSlip);
        try
        {
            var (code, output, errors) = await RunAsync(_sampleInvoice, "--schema", schema, "--model", gemma, "--context", "2048");
            var (fixedCode, fixedOutput, fixedErrors) = await RunAsync(
                _sampleInvoice, "--schema", schema, "--model", gemma, "--context", "2048", "--Llm:ChatTemplate", "gemma");

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
        Assert.Contains("encrypted: a password is required; send it in the upload's `password` field, or send an unprotected copy (`extract` takes --password-file)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_file_opens_a_protected_pdf()
    {
        var pdf = CorpusCase.Named("pdfjs_issue21579_password.pdf");
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, pdf.Password + "\n");
        try
        {
            var (code, output, errors) = await RunAsync(pdf.Path, "--schema", "invoice", "--password-file", secret, "--pages");

            Assert.True(code == 0, errors);
            Assert.Contains("If you can read this, decryption succeeded.", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task A_machine_without_a_language_pack_exits_3_naming_the_package()
    {
        var empty = Directory.CreateTempSubdirectory("docextract-nodata-").FullName;
        try
        {
            var (code, output, errors) = await RunAsync(_sampleInvoice, "--schema", "invoice", "--TextExtraction:TessdataPath", empty);

            Assert.Equal(3, code);
            Assert.Empty(output);
            Assert.Contains("install the Debian package(s) tesseract-ocr-eng", errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_tool_dies_with_the_process_that_started_it_when_that_is_killed()
    {
        // extract runs pdftotext through the worker's ToolRunner; this one hangs until killed.
        var hanging = Path.Combine(Path.GetTempPath(), $"hanging-pdftotext-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 300\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Repository.ProjectOutput("Cli", "extract.dll"), _sampleInvoice, "--TextExtraction:PdftotextPath", hanging })
        {
            start.ArgumentList.Add(argument);
        }
        using var extract = Process.Start(start)!;
        try
        {
            var child = await Eventually.WaitAsync(() => Task.FromResult(ChildOf(extract.Id, "sleep")), TimeSpan.FromSeconds(60), "the hanging tool to start");

            extract.Kill();
            await extract.WaitForExitAsync();

            await Eventually.WaitAsync(() => Task.FromResult(Alive(child) ? null : child), TimeSpan.FromSeconds(10),
                $"tool process {child} to die with its parent");
        }
        finally
        {
            File.Delete(hanging);
        }
    }

    [Fact]
    public async Task Without_a_file_it_explains_its_usage_and_exits_2()
    {
        var (code, _, errors) = await RunAsync("--schema", "invoice");

        Assert.Equal(2, code);
        Assert.Contains("no PDF given", errors, StringComparison.Ordinal);
        Assert.Contains("usage: extract <file.pdf>", errors, StringComparison.Ordinal);
    }

    // A live child of `parent` running `command`, found through /proc (field 4 of stat is the parent's pid).
    private static string? ChildOf(int parent, string command)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture) && stat.Contains($"({command})", StringComparison.Ordinal))
                {
                    return Path.GetFileName(folder);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not a process, or one that ended while read.
            }
        }
        return null;
    }

    // Alive and not a zombie waiting for init to reap it.
    private static bool Alive(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Task<(int Code, string Output, string Errors)> RunAsync(params string[] arguments) =>
        CommandLine.RunAsync(CommandLine.Program("Cli", "extract.dll", arguments), TimeSpan.FromMinutes(3));
}
