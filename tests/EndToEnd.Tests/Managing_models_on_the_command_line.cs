using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Cli.Models;
using DocExtract.Llama.Models;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// `models` (scripts/models.sh, issue #11): a generated GGUF pulled from a real HTTP server on loopback, imported
/// from a store laid out as Ollama lays it out, listed from its header, and used by `extract` by its name.
/// </summary>
public sealed class Managing_models_on_the_command_line : IDisposable
{
    private static readonly byte[] _model = File.ReadAllBytes(TestModels.Tiny);
    private static readonly string _modelSha256 = Convert.ToHexStringLower(SHA256.HashData(_model));

    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-models-").FullName;

    private string Models => Path.Combine(_folder, "models");

    private string Partial => Path.Combine(Models, ".partial", "tiny.gguf");

    [Fact]
    public async Task A_dropped_connection_resumes_with_a_range_request_and_the_checked_model_lands()
    {
        await using var server = await FileServer.StartAsync(_model, "tiny.gguf");
        var cut = server.HoldNextAfter(3 << 20);

        var pull = RunAsync("pull", server.Url, "--sha256", _modelSha256.ToUpperInvariant());
        await PartialHoldsAsync(3 << 20);
        cut.SetResult();
        var (code, output, errors) = await pull;

        Assert.True(code == 0, errors);
        Assert.Equal(["", $"bytes={3 << 20}-"], server.Ranges);
        Assert.Equal(_modelSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Models, "tiny.gguf")))));
        Assert.Contains($"sha256:{_modelSha256}", output, StringComparison.Ordinal);
        Assert.Contains("resuming from byte 3145728", errors, StringComparison.Ordinal);
        Assert.Contains("pull: ", errors, StringComparison.Ordinal);
        Assert.Contains("ETA", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(Models, ".partial")));
    }

    [Fact]
    public async Task Ctrl_c_keeps_the_partial_download_and_the_same_pull_resumes_it()
    {
        await using var server = await FileServer.StartAsync(_model, "tiny.gguf");
        server.HoldNextAfter(2 << 20);
        using var process = Process.Start(CommandLine.Program("Cli", "extract.dll", ["models", "pull", server.Url, "--sha256", _modelSha256, "--models-dir", Models]))!;
        var errors = process.StandardError.ReadToEndAsync();
        await PartialHoldsAsync(2 << 20);
        Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("the same `models pull` resumes it", await errors, StringComparison.Ordinal);
        Assert.Equal(2 << 20, new FileInfo(Partial).Length);
        Assert.False(File.Exists(Path.Combine(Models, "tiny.gguf")));

        var (code, _, again) = await RunAsync("pull", server.Url, "--sha256", _modelSha256);

        Assert.True(code == 0, again);
        Assert.Equal($"bytes={2 << 20}-", server.Ranges.Last());
        Assert.Equal(_model.Length, new FileInfo(Path.Combine(Models, "tiny.gguf")).Length);
        Assert.False(File.Exists(Partial));
    }

    [Fact]
    public async Task A_wrong_checksum_is_refused_and_leaves_nothing()
    {
        await using var server = await FileServer.StartAsync(_model, "tiny.gguf");
        var wrong = new string('0', 64);

        var (code, _, errors) = await RunAsync("pull", server.Url, "--sha256", wrong);

        Assert.Equal(1, code);
        Assert.Contains($"SHA-256 is {_modelSha256}, not the {wrong} asked for", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Models, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_web_page_instead_of_a_model_is_refused_saying_so_and_leaves_nothing()
    {
        await using var server = await FileServer.StartAsync(Encoding.UTF8.GetBytes("<!DOCTYPE html><html>Sign in</html>"), "model.gguf");

        var (code, _, errors) = await RunAsync("pull", server.Url);

        Assert.Equal(1, code);
        Assert.Contains("is not a GGUF model", errors, StringComparison.Ordinal);
        Assert.Contains("an HTML page", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Models, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("http://example.com/model.gguf")]
    [InlineData("ftp://127.0.0.1/model.gguf")]
    public async Task Anything_but_https_or_loopback_http_is_refused_before_any_connection(string url)
    {
        var (code, _, errors) = await RunAsync("pull", url);

        Assert.Equal(2, code);
        Assert.Contains("is not an https:// URL (http:// is accepted for loopback hosts only", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ollama_model_is_imported_as_a_hard_link_to_its_blob_and_listed_from_its_header()
    {
        var ollama = Path.Combine(_folder, "ollama");
        var blob = Path.Combine(ollama, "blobs", $"sha256-{_modelSha256}");
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        await File.WriteAllBytesAsync(blob, _model);
        var manifest = Path.Combine(ollama, "manifests", "registry.ollama.ai", "library", "tiny-llama", "q8");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        await File.WriteAllTextAsync(manifest, $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:{{new string('c', 64)}}","size":485},
             "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{{_modelSha256}}","size":{{_model.Length}}},
                       {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:{{new string('d', 64)}}","size":1451}]}
            """);

        var (code, output, errors) = await RunAsync(["import-ollama", "tiny-llama:q8"], ("OLLAMA_MODELS", ollama));
        var (_, listing, _) = await RunAsync("list", "--json");

        Assert.True(code == 0, errors);
        Assert.Contains("hard-linked", output, StringComparison.Ordinal);
        Assert.Equal(Inode(blob), Inode(Path.Combine(Models, "tiny-llama:q8.gguf")));
        using var list = JsonDocument.Parse(listing);
        var row = list.RootElement.EnumerateArray().Single();
        Assert.Equal("tiny-llama:q8", row.GetProperty("name").GetString());
        Assert.Equal("ollama:tiny-llama:q8", row.GetProperty("source").GetString());
        Assert.Equal(_modelSha256, row.GetProperty("sha256").GetString());
        Assert.Equal(_model.Length, row.GetProperty("size").GetInt64());
        Assert.Equal("llama", row.GetProperty("architecture").GetString());
        Assert.Equal(32000, row.GetProperty("vocabulary").GetInt32());
        Assert.Equal(RandomModelSpec.Tiny.ContextLength, row.GetProperty("contextLength").GetInt32());
        Assert.Equal("F32", row.GetProperty("quantization").GetString());
        Assert.True(row.GetProperty("chatTemplate").GetBoolean());
        // Every tensor's elements: 2 x 32000 x 64 for embeddings and output, the blocks' matrices and norms.
        Assert.InRange(row.GetProperty("parameters").GetInt64(), 4_096_000, 4_500_000);
    }

    [Fact]
    public async Task An_unknown_ollama_model_or_a_name_already_taken_is_refused_with_the_reason()
    {
        var ollama = Directory.CreateDirectory(Path.Combine(_folder, "ollama")).FullName;

        var (unknown, _, unknownErrors) = await RunAsync(["import-ollama", "qwen2.5:7b"], ("OLLAMA_MODELS", ollama));
        var (first, _, _) = await RunAsync("import", TestModels.Tiny, "--name", "tiny");
        var (second, _, secondErrors) = await RunAsync("import", TestModels.Tiny, "--name", "tiny");

        Assert.Equal(1, unknown);
        Assert.Contains($"no Ollama model qwen2.5:7b in {ollama} (OLLAMA_MODELS", unknownErrors, StringComparison.Ordinal);
        Assert.Equal(0, first);
        Assert.Equal(1, second);
        Assert.Contains("a model named 'tiny' is already in", secondErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gguf_put_into_the_folder_by_hand_is_listed_and_import_records_it_in_place()
    {
        Directory.CreateDirectory(Models);
        var dropped = Path.Combine(Models, "dropped.gguf");
        File.Copy(TestModels.Tiny, dropped);

        var (_, before, _) = await RunAsync("list");
        var (code, output, errors) = await RunAsync("import", dropped);
        var (_, after, _) = await RunAsync("list");

        Assert.Contains("not recorded", before, StringComparison.Ordinal);
        Assert.True(code == 0, errors);
        Assert.Contains("recorded in place", output, StringComparison.Ordinal);
        Assert.Matches($@"dropped\s+\S+ MiB\s+{_modelSha256[..12]}\s+llama\s+4\.\d+M\s+32000\s+F32\s+4096\s+yes", after);
        Assert.DoesNotContain("not recorded", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_on_another_file_system_is_referenced_not_copied_and_rm_leaves_it()
    {
        var elsewhere = Path.Combine("/dev/shm", $"docextract-model-{Guid.NewGuid():N}.gguf");
        await File.WriteAllBytesAsync(elsewhere, _model);
        try
        {
            var (code, output, errors) = await RunAsync("import", elsewhere, "--name", "shm-model", "--sha256", _modelSha256);

            Assert.True(code == 0, errors);
            Assert.Contains("referenced where it is (it is on another file system", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(Models, "shm-model.gguf")));
            Assert.Contains(elsewhere, await File.ReadAllTextAsync(Path.Combine(Models, "shm-model.json")), StringComparison.Ordinal);

            var (removed, _, _) = await RunAsync("rm", "shm-model");

            Assert.Equal(0, removed);
            Assert.Empty(Directory.EnumerateFiles(Models));
            Assert.True(File.Exists(elsewhere));
        }
        finally
        {
            File.Delete(elsewhere);
        }
    }

    [Fact]
    public async Task Extract_takes_the_model_by_its_name_and_an_unknown_name_fails_naming_the_settings()
    {
        var (imported, _, importErrors) = await RunAsync("import", TestModels.Tiny, "--name", "demo");
        Assert.True(imported == 0, importErrors);
        var sample = Path.Combine(Repository.Root, "samples", "sample-invoice.pdf");
        // A two-field type keeps the answer, and the test, short: the name's resolution is what is under test.
        var schema = Path.Combine(_folder, "payment-slip.json");
        await File.WriteAllTextAsync(schema, CustomSchemas.PaymentSlip);

        var (code, output, errors) = await ExtractAsync(sample, "--schema", schema, "--model", "demo", "--context", "4096");
        var (unknown, _, unknownErrors) = await ExtractAsync(sample, "--schema", schema, "--model", "no-such-model");

        Assert.True(code == 0, errors);
        using var result = JsonDocument.Parse(output);
        var model = result.RootElement.GetProperty("dataStatus").GetProperty("details").GetProperty("model");
        Assert.Equal("demo.gguf", model.GetProperty("file").GetString());
        Assert.Equal(_modelSha256, model.GetProperty("sha256").GetString());
        Assert.Equal(1, unknown);
        Assert.Contains($"Llm:Model 'no-such-model' is no model in {Models} (Llm:ModelsDirectory)", unknownErrors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task PartialHoldsAsync(long bytes) =>
        Eventually.WaitAsync(() => Task.FromResult(File.Exists(Partial) && new FileInfo(Partial).Length == bytes ? "" : null),
            TimeSpan.FromSeconds(30), $"{bytes} bytes in {Partial}");

    private Task<(int Code, string Output, string Errors)> RunAsync(params string[] arguments) => RunAsync(arguments, []);

    private async Task<(int Code, string Output, string Errors)> RunAsync(string[] arguments, params (string Name, string Value)[] environment)
    {
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            using var output = new StringWriter();
            using var errors = new StringWriter();
            var code = await ModelsCommand.RunAsync([.. arguments, "--models-dir", Models], output, errors, errorsIsTerminal: false, CancellationToken.None);
            return (code, output.ToString(), errors.ToString());
        }
        finally
        {
            foreach (var (name, _) in environment)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    private Task<(int Code, string Output, string Errors)> ExtractAsync(params string[] arguments) =>
        CommandLine.RunAsync(CommandLine.Program("Cli", "extract.dll", arguments, ("Llm__ModelsDirectory", Models)), TimeSpan.FromMinutes(3));

    private static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%d:%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }
}
