using System.Diagnostics;
using System.Text.Json;
using DocExtract.Llama.Models;
using DocExtract.Operations.Evaluations;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Queries;
using DocExtract.Persistence.Results;
using DocExtract.Persistence.Tenancy;
using DocExtract.Pipeline;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DocExtract.Cli;

/// <summary>
/// `extract evaluate --type invoice [--model NAME]` (scripts/evaluate.sh): the stored model outputs of a tenant's
/// reviewed documents against the reviewed data, as GET /evaluations computes them, and with --model the same figures
/// for another model run over the same documents' stored page texts, side by side (#13, "corrections as labels").
/// </summary>
public static class EvaluateCommand
{
    public const string Help = """
        usage: extract evaluate --type NAME [--tenant SLUG] [--model NAME|FILE] [--version HASH] [--from DATE] [--to DATE]
                                [--precision P] [--json] [--Section:Key value ...]

        Field-level accuracy of the stored model outputs against the tenant's reviewed documents of a type (the newest
        review of each document is the truth), and how well the stored confidence separated right values from wrong
        ones, with the Llm:ReviewConfidence that reaches the target precision. The same figures as GET /evaluations.
        With --model, that model is run over the same documents' stored page texts and its figures are printed beside
        the stored outputs': try a new model against that set before it replaces the current one. docs/evaluations.md
        explains each figure.

          --type NAME          the document type (required)
          --tenant SLUG        whose reviewed documents (default: default)
          --model NAME|FILE    a model name from `scripts/models.sh list`, or a GGUF file's path, to run and compare
          --version HASH       only results made with this schema version (64 hex digits)
          --from, --to DATE    only documents whose newest review falls in [from, to) (ISO 8601 dates or instants)
          --precision P        the precision the suggested threshold must reach (default 0.95)
          --json               the figures as JSON (without --model exactly GET /evaluations' body)
          -h, --help           this text

        The database is ConnectionStrings:Postgres (ConnectionStrings__Postgres); Evaluations:MaxDocuments bounds the set.
        Exit codes: 0 figures printed, 1 a model run failed to start, 2 usage or settings.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var options, out var settings, out var problem))
        {
            await (problem is null ? output.WriteLineAsync(Help) : errors.WriteLineAsync($"extract evaluate: {problem}\n\n{Help}"));
            return problem is null ? 0 : 2;
        }
        var (filter, filterProblem) = EvaluationFilter.Parse(options["tenant"]!, options.GetValueOrDefault("type"), options.GetValueOrDefault("version"),
            options.GetValueOrDefault("from"), options.GetValueOrDefault("to"), options.GetValueOrDefault("precision"));
        filterProblem ??= ReviewedDocuments.TenantProblem(options["tenant"]!);
        if (filter is null || filterProblem is not null)
        {
            await errors.WriteLineAsync($"extract evaluate: {filterProblem}\n\n{Help}");
            return 2;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();
        var max = (configuration.GetSection(EvaluationOptions.Section).Get<EvaluationOptions>() ?? new()).MaxDocuments;
        var model = settings.GetValueOrDefault("Llm:Model");
        await using var db = PersistenceExtensions.CreateContext(configuration.GetPostgresConnectionString());
        var (documents, tooMany) = await ReviewedDocuments.LoadAsync(db, filter, max, withPages: model is not null, cancellationToken);
        if (tooMany)
        {
            await errors.WriteLineAsync($"extract evaluate: {ReviewedDocuments.TooManyProblem(max)}");
            return 2;
        }

        var stored = EvaluationResponse.Of(filter, Evaluation.Evaluate([.. documents.Select(d => d.ToEvaluated())], filter.TargetPrecision));
        if (model is null)
        {
            await output.WriteLineAsync(options.ContainsKey("json")
                ? JsonSerializer.Serialize(stored, JsonSerializerOptions.Web)
                : EvaluationTable.Text(filter, [("stored outputs", stored.Figures)]));
            return 0;
        }

        CandidateRun run;
        try
        {
            run = await RunModelAsync(configuration, db, filter, documents, errors, cancellationToken);
        }
        catch (LlmSetupException e)
        {
            await errors.WriteLineAsync($"extract evaluate: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is DocExtract.Llama.LlamaException or FileNotFoundException or InvalidDataException)
        {
            await errors.WriteLineAsync($"extract evaluate: the model {model} could not run: {e.Message}");
            return 1;
        }
        var candidate = EvaluationResponse.Of(filter, Evaluation.Evaluate(run.Documents, filter.TargetPrecision));
        var name = options.GetValueOrDefault("model") ?? model;
        await output.WriteLineAsync(options.ContainsKey("json")
            ? JsonSerializer.Serialize(new { stored, model = name, candidate, failures = run.Failures, seconds = Math.Round(run.Elapsed.TotalSeconds, 1) },
                JsonSerializerOptions.Web)
            : EvaluationTable.Text(filter, [("stored outputs", stored.Figures), (name, candidate.Figures)])
                + $"\n{name}: {documents.Count} documents in {run.Elapsed.TotalSeconds:0.#} s"
                + string.Concat(run.Failures.Select(f => $"\n  {f.DocumentId}: {f.Reason}")));
        return 0;
    }

    /// <summary>A document the candidate model could not read; its values count as missing.</summary>
    public sealed record Failure(Guid DocumentId, string Reason);

    private sealed record CandidateRun(IReadOnlyList<EvaluatedDocument> Documents, IReadOnlyList<Failure> Failures, TimeSpan Elapsed);

    // The worker's LLM stage over each document's stored pages, with the type as the tenant has it now (built-in or
    // custom), as many documents at once as the scheduler has slots (Llm:MaxSequences).
    private static async Task<CandidateRun> RunModelAsync(IConfiguration configuration, DocExtractDbContext db, EvaluationFilter filter,
        IReadOnlyList<ReviewedDocument> documents, TextWriter errors, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning)
                .AddFilter("DocExtract.Llama", LogLevel.Information))
            .AddDocExtractPipeline(configuration);
        await using var provider = services.BuildServiceProvider();
        var lookup = await new DocumentTypeCatalog(db, provider.GetRequiredService<SchemaCatalog>(), new CustomSchemaCache())
            .FindAsync(filter.Tenant, filter.Type, null, cancellationToken);
        if (lookup.Type is not { } type)
        {
            throw new LlmSetupException($"the document type cannot be run: {lookup.Problem}");
        }
        var engine = provider.GetRequiredService<LlmEngine>();
        if (!engine.IsConfigured)
        {
            throw new LlmSetupException("no model to run: give --model NAME|FILE");
        }
        // Loaded before the first document, so a model that cannot load stops the run with its reason once.
        engine.EnsureLoaded();

        var extraction = provider.GetRequiredService<IStructuredExtraction>();
        var results = new EvaluatedDocument[documents.Count];
        var failures = new System.Collections.Concurrent.ConcurrentBag<Failure>();
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, provider.GetRequiredService<IOptions<LlmOptions>>().Value.MaxSequences),
            CancellationToken = cancellationToken,
        };
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, documents.Count), parallel, async (i, token) =>
        {
            var document = documents[i];
            var truth = document.ToEvaluated().Truth;
            try
            {
                var pages = JsonSerializer.Deserialize<List<PageText>>(document.Pages ?? "[]", ResultContent.Json) ?? [];
                var data = await extraction.ExtractAsync(new ExtractedText(pages, "stored", TimeSpan.Zero), type.Schema, token);
                results[i] = new EvaluatedDocument(document.DocumentId, data.Data,
                    data.Fields.GroupBy(f => f.Pointer).ToDictionary(g => g.Key, g => g.First().Confidence), truth);
                if (data.Data is null)
                {
                    failures.Add(new Failure(document.DocumentId, $"{data.State}: {data.Reason}"));
                }
            }
            catch (Exception e) when (e is DocExtract.Llama.LlamaException or JsonException or PermanentExtractionException)
            {
                results[i] = new EvaluatedDocument(document.DocumentId, null, new Dictionary<string, double>(), truth);
                failures.Add(new Failure(document.DocumentId, e.Message));
            }
            await errors.WriteLineAsync($"evaluate: {Interlocked.Increment(ref done)} of {documents.Count} documents read by the model");
        });
        return new CandidateRun(results, [.. failures.OrderBy(f => f.DocumentId)], clock.Elapsed);
    }

    private static bool TryParse(string[] args, out Dictionary<string, string?> options, out Dictionary<string, string?> settings, out string? problem)
    {
        options = new Dictionary<string, string?> { ["tenant"] = Tenants.Default };
        settings = [];
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return false;
            }
            if (arg == "--json")
            {
                options["json"] = "";
                continue;
            }
            if (i + 1 >= args.Length || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                problem = arg.StartsWith("--", StringComparison.Ordinal) ? $"{arg} needs a value" : $"unexpected argument '{arg}'";
                return false;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--type" or "--tenant" or "--version" or "--from" or "--to" or "--precision":
                    options[arg[2..]] = value;
                    break;
                case "--model":
                    options["model"] = value;
                    // A path is made absolute here; a name is looked up in Llm:ModelsDirectory where the model is loaded.
                    settings["Llm:Model"] = ModelStore.IsPath(value) ? Path.GetFullPath(value) : value;
                    break;
                case var setting when setting.Contains(':', StringComparison.Ordinal):
                    settings[setting[2..]] = value;
                    break;
                default:
                    problem = $"unknown option {arg}";
                    return false;
            }
        }
        return true;
    }
}
