using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Llama.Models;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DocExtract.Cli;

/// <summary>
/// `extract file.pdf --schema invoice --model model.gguf`: the worker's own text and LLM stages, in-process,
/// printing the JSON. The quick loop for trying a model or a schema.
/// </summary>
public static class ExtractCommand
{
    public const string Help = """
        usage: extract <file.pdf> --schema <name|path.json> [--model <name|file.gguf>] [options]
               extract models pull|import-ollama|import|list|rm …   (scripts/models.sh; `extract models --help`)
               extract evaluate --type NAME [--model <name|file.gguf>] …   (scripts/evaluate.sh; `extract evaluate --help`)

        Runs DocExtract's text extraction and LLM stage in-process (no broker, no database) and prints the JSON.
        With auto or invoice, an e-invoice (ZUGFeRD, Factur-X, XRechnung in CII or UBL) is read from its XML attachment
        instead, without a model.

          --schema NAME|PATH   a document type from schemas/ (or auto), or the path of a JSON Schema file
          --model NAME|FILE    a model name from `scripts/models.sh list`, or a GGUF file's path (default: Llm:Model /
                               Llm__Model); without one only text is extracted
          --backend KIND       auto, cpu or cuda (default auto: CUDA where it loads, else CPU)
          --context N          context size in tokens (default 8192)
          --threads N          decoding threads (default: the measured best for this machine, see docs/llm.md)
          --pages              include every page's text and its words' boxes in the output
          --language L         OCR languages of a scan, e.g. fra or deu+eng (default: chosen from the scan among
                               TextExtraction:OcrLanguages)
          --password-file F    the password of a protected PDF, read from file F (- reads stdin); never given on
                               the command line, where every user of the machine could read it
          -h, --help           this text

        Exit codes: 0 extracted, 1 the document failed (reason on stderr), 2 usage error (also a setting the model
        cannot start with, such as an unrecognized chat template: see --Llm:ChatTemplate), 3 the machine lacks a
        package the text stage needs (named on stderr).
        Any setting of the worker can also be given as --Section:Key value (e.g. --Llm:MaxOutputTokens 512).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (!TryParse(args, out var file, out var settings, out var includePages, out var problem) ||
            !TryReadPassword(settings, out var password, out problem))
        {
            await errors.WriteLineAsync(problem is null ? Help : $"extract: {problem}\n\n{Help}");
            return problem is null ? 0 : 2;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection()
            // stdout carries the JSON alone (so `extract … | jq` works); every log line goes to stderr.
            .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning)
                .AddFilter("DocExtract.Llama", LogLevel.Information).AddFilter("DocExtract.Pipeline.Extraction", LogLevel.Information))
            .AddDocExtractPipeline(configuration);
        await using var provider = services.BuildServiceProvider();

        var schema = settings["schema"]!;
        try
        {
            await provider.GetRequiredService<TextStageCheck>().EnsureAsync(CancellationToken.None);
            var path = Path.GetFullPath(file);
            var request = new TextRequest(settings.GetValueOrDefault("language"), password);
            var text = await provider.GetRequiredService<PdfTextExtractor>().ExtractAsync(path, request, CancellationToken.None);
            // As in the worker, an e-invoice's XML attachment is read instead of asking the model (#12).
            var requested = schema == DocumentTypeName.Auto ? null : await provider.GetRequiredService<SchemaCatalog>().FindAsync(schema);
            var embedded = schema != DocumentTypeName.Auto && requested is null
                ? EmbeddedInvoiceOutcome.NotTried
                : await provider.GetRequiredService<EmbeddedInvoiceRoute>().ReadAsync(path, text, requested, CancellationToken.None);
            var data = embedded.Data ?? await provider.GetRequiredService<IStructuredExtraction>().ExtractAsync(text, schema, CancellationToken.None);
            var rules = await provider.GetRequiredService<RuleCheck>().RunAsync(data, type: null, CancellationToken.None);
            var result = new JsonObject
            {
                ["file"] = Path.GetFileName(file),
                ["schema"] = data.Schema,
                ["route"] = data.Route,
                ["pageCount"] = text.Pages.Count,
                ["textNotes"] = JsonSerializer.SerializeToNode(text.Notes, ResultContent.Json),
                ["data"] = data.Data is { } json ? JsonNode.Parse(json.GetRawText()) : null,
                ["dataStatus"] = new JsonObject { ["state"] = data.State, ["reason"] = data.Reason, ["details"] = data.Details?.DeepClone() },
                ["rules"] = JsonSerializer.SerializeToNode(rules, ResultContent.Json),
                ["fields"] = JsonSerializer.SerializeToNode(data.Fields, ResultContent.Json),
                ["confidence"] = data.Fields.Count > 0 ? JsonSerializer.SerializeToNode(ConfidenceSummary.Of(data.Fields, data.ConfidenceFormula), ResultContent.Json) : null,
                ["review"] = JsonSerializer.SerializeToNode(
                    provider.GetRequiredService<ReviewPolicy>().Decide(data, RuleCheck.Failures(rules)), ResultContent.Json),
                ["windows"] = JsonSerializer.SerializeToNode(data.Windows, ResultContent.Json),
                ["embeddedInvoice"] = JsonSerializer.SerializeToNode(embedded.Report, ResultContent.Json),
            };
            if (includePages)
            {
                result["pages"] = JsonSerializer.SerializeToNode(text.Pages, ResultContent.Json);
            }
            await output.WriteLineAsync(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        catch (TextStageIncompleteException e)
        {
            await errors.WriteLineAsync($"extract: {e.Message}");
            return 3;
        }
        catch (LlmSetupException e)
        {
            await errors.WriteLineAsync($"extract: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is PermanentExtractionException or FileNotFoundException or ToolMissingException or DocExtract.Llama.LlamaException
            or InvalidDataException)
        {
            await errors.WriteLineAsync($"extract: {file}: {e.Message}");
            return 1;
        }
    }

    private static bool TryParse(string[] args, out string file, out Dictionary<string, string?> settings, out bool includePages, out string? problem)
    {
        file = "";
        settings = new Dictionary<string, string?> { ["schema"] = DocumentTypeName.Auto };
        includePages = false;
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "-h" or "--help": return false;
                    case "--pages": includePages = true; break;
                    case "--language": settings["language"] = Next(); break;
                    case "--password-file": settings["password-file"] = Next(); break;
                    case "--schema": SetSchema(settings, Next()); break;
                    case "--model": settings["Llm:Model"] = Model(Next()); break;
                    case "--backend": settings["Llm:Backend"] = Next(); break;
                    case "--context": settings["Llm:ContextSize"] = Next(); break;
                    case "--threads": settings["Llm:Threads"] = Next(); settings["Llm:ThreadsBatch"] = settings["Llm:Threads"]; break;
                    case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains(':', StringComparison.Ordinal):
                        settings[setting[2..]] = Next();
                        break;
                    case var option when option.StartsWith('-'): problem = $"unknown option {option}"; return false;
                    default:
                        if (file.Length > 0)
                        {
                            problem = $"one file at a time (got {file} and {arg})";
                            return false;
                        }
                        file = arg;
                        break;
                }
            }
            catch (ArgumentException e)
            {
                problem = e.Message;
                return false;
            }
        }
        if (file.Length == 0)
        {
            problem = "no PDF given";
            return false;
        }
        if (!File.Exists(file))
        {
            problem = $"{file} does not exist";
            return false;
        }
        return true;
    }

    // A path is made absolute here; a name is looked up in Llm:ModelsDirectory where the model is loaded.
    private static string Model(string value) => ModelStore.IsPath(value) ? Path.GetFullPath(value) : value;

    // The password from --password-file (a file, or - for stdin): its first line, without the line end.
    private static bool TryReadPassword(Dictionary<string, string?> settings, out string? password, out string? problem)
    {
        password = null;
        problem = null;
        if (settings.GetValueOrDefault("password-file") is not { } source)
        {
            return true;
        }
        if (source != "-" && !File.Exists(source))
        {
            problem = $"password file {source} does not exist";
            return false;
        }
        using var reader = source == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(source);
        password = reader.ReadLine() ?? "";
        return true;
    }

    // A path to a schema file: its folder becomes the catalog and its name the type.
    private static void SetSchema(Dictionary<string, string?> settings, string value)
    {
        if (value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(value))
            {
                throw new ArgumentException($"schema file {value} does not exist");
            }
            settings[SchemaFolder.ConfigurationKey] = Path.GetDirectoryName(Path.GetFullPath(value));
            settings["schema"] = Path.GetFileNameWithoutExtension(value);
        }
        else
        {
            settings["schema"] = value.ToLowerInvariant();
        }
    }
}
