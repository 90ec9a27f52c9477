using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Llama.Models;
using Microsoft.Extensions.Configuration;

namespace DocExtract.Cli.Models;

/// <summary>
/// `models pull|import-ollama|import|list|rm` (issue #11): brings GGUF models into the models folder by name, the
/// Ollama habit. Downloading is only ever this command, run by the operator: no worker fetches anything.
/// </summary>
public static class ModelsCommand
{
    public const string Help = """
        usage: models pull <https-url> [--sha256 HEX] [--name NAME] [--retries N] [--stall-seconds N]
               models import-ollama <model[:tag]> [--name NAME]
               models import <file.gguf> [--name NAME] [--sha256 HEX]
               models list [--json]
               models rm <NAME>

        Keeps GGUF models by name in the models folder; workers and `extract` take the name as Llm:Model.

          pull            downloads the file (HTTP Range: a dropped connection, or the same pull run again after
                          Ctrl-C, resumes from models/.partial/NAME.gguf). The file is renamed into place only once
                          its SHA-256 matches --sha256 (without one it is computed and recorded, not checked) and it
                          is a GGUF. A wrong checksum or a file that is not GGUF removes everything downloaded.
                          https:// only; http:// is accepted for loopback hosts alone (tests).
          import-ollama   takes a model from an Ollama store ($OLLAMA_MODELS, else ~/.ollama/models; the Linux
                          service's is /usr/share/ollama/.ollama/models), checked against the digest Ollama named
                          it by; default name model:tag
          import          takes any GGUF file on this machine; default name: the file's name without .gguf
                          Imports never copy: a hard link where the file system allows one, else NAME.json
                          records the file's path (the file must then stay where it is).
          list            name, size, SHA-256, architecture, parameters, vocabulary, quantisation, context length
                          and whether the file has a chat template, read from each GGUF header
          rm              removes the name, its record and any unfinished download (a referenced file is kept)

          --models-dir DIR  the models folder (default: Llm:ModelsDirectory / Llm__ModelsDirectory, else
                            /var/lib/docextract/models; scripts/models.sh uses .data/models of the checkout)
          --name NAME       letters, digits and . _ : + - (default from the URL, file or Ollama name)
          --sha256 HEX      the checksum the file must have (64 hex digits)
          --retries N       resumes after a dropped or stalled connection within one run (default 5)
          --stall-seconds N seconds without a byte before a connection counts as dropped (default 60)

        Exit codes: 0 done, 1 failed (reason on stderr), 2 usage error, 130 interrupted (the download is kept to resume).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, bool errorsIsTerminal, CancellationToken cancellationToken)
    {
        if (!Arguments.TryParse(args, out var parsed, out var problem))
        {
            await errors.WriteLineAsync(problem is null ? Help : $"models: {problem}\n\n{Help}");
            return problem is null ? 0 : 2;
        }

        var store = new ModelStore(parsed.Option("models-dir") ?? ConfiguredDirectory());
        try
        {
            return parsed.Verb switch
            {
                "pull" => await PullAsync(store, parsed, output, errors, errorsIsTerminal, cancellationToken),
                "import" => await ImportAsync(store, parsed, output, cancellationToken),
                "import-ollama" => await ImportOllamaAsync(store, parsed, output, cancellationToken),
                "list" => await ListAsync(store, parsed, output),
                _ => await RemoveAsync(store, parsed, output, errors),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await errors.WriteLineAsync(parsed.Verb == "pull"
                ? $"models: interrupted; what was downloaded stays in {store.PartialDirectory} and the same `models pull` resumes it (`models rm NAME` drops it)"
                : "models: interrupted");
            return 130;
        }
        catch (Exception e) when (e is PullFailedException or InvalidDataException or InvalidOperationException or ArgumentException
            or FileNotFoundException or HttpRequestException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            var kept = e is not PullFailedException { Discarded: true } && parsed.Verb == "pull"
                && File.Exists(store.PartialFile(parsed.Name ?? ""))
                ? $" (the download so far stays in {store.PartialDirectory}: the same `models pull` resumes it)"
                : "";
            await errors.WriteLineAsync($"models: {e.Message}{kept}");
            return 1;
        }
    }

    private static string ConfiguredDirectory() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build()["Llm:ModelsDirectory"] is { Length: > 0 } configured ? configured : ModelStore.DefaultDirectory;

    private static async Task<int> PullAsync(ModelStore store, Arguments parsed, TextWriter output, TextWriter errors, bool terminal, CancellationToken cancellationToken)
    {
        var url = new Uri(parsed.Target);
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
        var request = new PullRequest(url, parsed.Name!, parsed.Sha256,
            parsed.Number("retries", 5), TimeSpan.FromSeconds(parsed.Number("stall-seconds", 60)));
        var download = new ModelDownload(store, http, new DownloadProgress(errors, terminal, TimeProvider.System), errors);
        var (model, verified) = await download.PullAsync(request, cancellationToken);
        if (!verified)
        {
            await errors.WriteLineAsync($"models: no --sha256 given, so the file is not checked against a published checksum; its SHA-256 is {model.Record!.Sha256}");
        }

        await output.WriteLineAsync($"{model.Name}\t{model.File}\tsha256:{model.Record!.Sha256}");
        return 0;
    }

    private static async Task<int> ImportAsync(ModelStore store, Arguments parsed, TextWriter output, CancellationToken cancellationToken)
    {
        var file = Path.GetFullPath(parsed.Target);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} does not exist", file);
        }

        ModelFacts.Read(file);
        var sha256 = await ModelStore.Sha256Async(file, cancellationToken);
        if (parsed.Sha256 is { } expected && expected != sha256)
        {
            throw new InvalidDataException($"{file} has SHA-256 {sha256}, not the {expected} asked for (--sha256): not imported");
        }

        return await AddAsync(store, parsed.Name!, file, sha256, file, output);
    }

    private static async Task<int> ImportOllamaAsync(ModelStore store, Arguments parsed, TextWriter output, CancellationToken cancellationToken)
    {
        var ollama = new OllamaStore(OllamaStore.DefaultRoot);
        var (blob, size, digest) = ollama.Find(parsed.Target);
        if (new FileInfo(blob).Length != size)
        {
            throw new InvalidDataException($"{blob} has {new FileInfo(blob).Length} bytes, but the manifest says {size} (an unfinished `ollama pull`?)");
        }

        ModelFacts.Read(blob);
        var sha256 = await ModelStore.Sha256Async(blob, cancellationToken);
        if (sha256 != digest)
        {
            throw new InvalidDataException($"{blob} has SHA-256 {sha256}, not the digest {digest} Ollama named it by: not imported");
        }

        return await AddAsync(store, parsed.Name!, blob, sha256, $"ollama:{parsed.Target}", output);
    }

    private static async Task<int> AddAsync(ModelStore store, string name, string file, string sha256, string source, TextWriter output)
    {
        var (model, placement, why) = store.Add(name, file, sha256, source, move: false);
        var how = placement switch
        {
            Placement.Linked => $"hard-linked as {model.File} (no copy)",
            Placement.InPlace => $"recorded in place ({model.File})",
            _ => $"referenced where it is ({why}): keep {model.File} there",
        };
        await output.WriteLineAsync($"{model.Name}\t{how}\tsha256:{sha256}");
        return 0;
    }

    private static async Task<int> ListAsync(ModelStore store, Arguments parsed, TextWriter output)
    {
        var rows = store.List().Select(Describe).ToList();
        if (parsed.Flag("json"))
        {
            await output.WriteLineAsync(new JsonArray([.. rows]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        string[] header = ["NAME", "SIZE", "SHA-256", "ARCH", "PARAMS", "VOCAB", "QUANT", "CONTEXT", "TEMPLATE", "NOTE"];
        var table = rows.Select(row => new[]
        {
            (string)row["name"]!, DownloadProgress.Bytes((long?)row["size"] ?? 0), ((string?)row["sha256"])?[..12] ?? "-",
            (string?)row["architecture"] ?? "-", Parameters((long?)row["parameters"]), Text(row["vocabulary"]),
            (string?)row["quantization"] ?? "-", Text(row["contextLength"]),
            row["chatTemplate"] is { } template ? ((bool)template ? "yes" : "no") : "-", (string?)row["note"] ?? "",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => table.Max(cells => cells[column].Length)).ToArray();
        foreach (var cells in table)
        {
            await output.WriteLineAsync(string.Join("  ", cells.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }

        if (rows.Count == 0)
        {
            await output.WriteLineAsync($"(no models in {store.Directory}: `models pull`, `models import` or `models import-ollama` brings one in)");
        }

        return 0;
    }

    private static JsonObject Describe(StoredModel model)
    {
        var row = new JsonObject
        {
            ["name"] = model.Name,
            ["file"] = model.File,
            ["reference"] = model.IsReference,
            ["source"] = model.Record?.Source,
            ["sha256"] = model.Record?.Sha256,
        };
        if (!File.Exists(model.File))
        {
            row["note"] = $"missing: {model.File} is gone";
            return row;
        }

        var size = new FileInfo(model.File).Length;
        row["size"] = size;
        try
        {
            var facts = ModelFacts.Read(model.File);
            row["architecture"] = facts.Architecture;
            row["parameters"] = facts.Parameters;
            row["vocabulary"] = facts.VocabularySize;
            row["quantization"] = facts.FileType;
            row["contextLength"] = facts.ContextLength;
            row["chatTemplate"] = facts.HasChatTemplate;
            row["note"] = model.Record is null ? "not recorded: `models import` it for its SHA-256"
                : size != model.Record.Size ? $"changed: {size} bytes, {model.Record.Size} when it came in"
                : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            row["note"] = $"unreadable: {e.Message}";
        }

        return row;
    }

    private static string Parameters(long? count) => count switch
    {
        null => "-",
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e9:0.##}B"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{count / 1e6:0.##}M"),
        _ => count.Value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Text(JsonNode? value) => value?.ToJsonString() ?? "-";

    private static async Task<int> RemoveAsync(ModelStore store, Arguments parsed, TextWriter output, TextWriter errors)
    {
        var removed = store.Remove(parsed.Target);
        if (removed.Count == 0)
        {
            await errors.WriteLineAsync($"models: no model named '{parsed.Target}' in {store.Directory} (`models list` shows them)");
            return 1;
        }

        foreach (var path in removed)
        {
            await output.WriteLineAsync($"removed {path}");
        }

        return 0;
    }
}
