using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Llama;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;

namespace DocExtract.Pipeline.Extraction;

/// <summary>
/// The LLM stage (issue #3): the document's text in, JSON out that the type's grammar shaped while decoding and
/// its full JSON Schema then validated. An incomplete or invalid answer is retried within a bound and otherwise
/// fails the document with the reason: invalid JSON is never stored as a success.
/// </summary>
public sealed partial class LlmExtraction(LlmEngine engine, SchemaCatalog catalog, ILogger<LlmExtraction> logger) : IStructuredExtraction
{
    public const string ExtractedState = "extracted";
    public const string NoTextState = "no-text";
    public const string UnknownTypeState = "unknown-type";

    // The allowed tokens recorded per step for the values' confidence: enough to hold the other ways of spelling
    // the same text in tokens, which is what they are for (see FieldConfidence).
    private const int ConfidenceAlternatives = 16;

    // Fewer tokens than this left for the answer cannot hold even a small object.
    private const int MinAnswerTokens = 64;

    public async Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken)
    {
        if (schema == DocumentTypeName.Auto)
        {
            return await ExtractWithAsync(text, requested: null, cancellationToken);
        }
        var type = await catalog.FindAsync(schema, cancellationToken) ?? throw new PermanentExtractionException(
            $"the document type '{schema}' is no longer defined (its schema file was removed); re-extract with another type");
        return await ExtractWithAsync(text, type, cancellationToken);
    }

    public Task<StructuredData> ExtractAsync(ExtractedText text, DocumentSchema type, CancellationToken cancellationToken) =>
        ExtractWithAsync(text, type, cancellationToken);

    // A null type means auto: classified among the built-in types.
    private async Task<StructuredData> ExtractWithAsync(ExtractedText text, DocumentSchema? requested, CancellationToken cancellationToken)
    {
        if (text.Pages.All(p => string.IsNullOrWhiteSpace(p.Text)))
        {
            return new StructuredData(requested?.Name ?? DocumentTypeName.Auto, null, NoTextState,
                "no page has a text layer (a scan needs OCR), so there was nothing to extract from", null) { SchemaVersion = requested?.Version };
        }

        var details = new JsonObject { ["model"] = ModelDetails() };
        var type = requested;
        if (type is null)
        {
            var classification = await ClassifyAsync(
                await catalog.GetSnapshotAsync(cancellationToken), ExtractionPrompt.DocumentText(text.Pages), cancellationToken);
            details["classification"] = classification.ToJson();
            if (classification.Chosen is null)
            {
                return new StructuredData(DocumentTypeName.Unknown, null, UnknownTypeState, classification.Reason, details);
            }
            type = classification.Chosen;
        }
        details["schema"] = new JsonObject { ["name"] = type.Name, ["version"] = type.Version };
        details["promptTemplate"] = ExtractionPrompt.TemplateVersion;

        var usage = new Usage();
        var answers = new List<WindowAnswer>();
        var records = new List<PageWindow>();
        try
        {
            foreach (var window in PlanWindows(type, text.Pages))
            {
                var prompt = ExtractionPrompt.Tokenize(engine.Model, engine.Template, ExtractionPrompt.Instructions(type), ExtractionPrompt.DocumentText(window));
                var room = engine.ContextSize - prompt.Length;
                var before = usage.Generated;
                var result = await GenerateValidAsync(type, prompt.Scheduled($"extract:{type.Name}@{type.Version}"), room, usage, cancellationToken);
                using var parsed = JsonDocument.Parse(result.Text);
                var scored = FieldConfidence.Score(
                    result.Text, result.TokenIds, t => engine.Model.TokenToPieceUtf8(t), result.TokenLogProbabilities, result.Alternatives);
                answers.Add(new WindowAnswer(parsed.RootElement.Clone(), scored));
                records.Add(new PageWindow([.. window.Select(p => p.Number)], prompt.Length, usage.Generated - before));
            }
        }
        catch (PermanentExtractionException e) when (e.Details is null)
        {
            // The same failure, carrying what the model had used by then, for the usage ledger (#12).
            usage.CopyTo(details);
            throw new PermanentExtractionException(e.Message, e) { Details = details };
        }
        usage.CopyTo(details);

        var (data, values) = WindowMerger.Merge(answers);
        if (answers.Count > 1 && type.Validator.Validate(data.GetRawText()) is { Count: > 0 } errors)
        {
            throw new PermanentExtractionException(
                $"the answers of the document's {answers.Count} page windows do not merge into JSON valid against '{type.Name}': " +
                $"{string.Join("; ", errors.Take(3))}; raise Llm:ContextSize so the document fits in fewer windows")
            {
                Details = details,
            };
        }
        return new StructuredData(type.Name, data, ExtractedState, null, details)
        {
            Fields = FieldTrusts.Of(values, text.Pages),
            Windows = answers.Count > 1 ? records : null,
            SchemaVersion = type.Version,
        };
    }

    private async Task<GenerationResult> GenerateValidAsync(
        DocumentSchema type, ScheduledPrompt prompt, int room, Usage usage, CancellationToken cancellationToken)
    {
        var settings = engine.Options;
        var maxTokens = Math.Min(room, settings.MaxOutputTokens);
        var problem = "";
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var sampler = Sampler(attempt);
            var result = await engine.GenerateAsync(prompt, new GenerationOptions
            {
                Grammar = type.Grammar.Text,
                Sampler = sampler,
                MaxTokens = maxTokens,
                Alternatives = ConfidenceAlternatives,
            }, cancellationToken);
            usage.Add(result, attempt, sampler);

            if (result.StopReason == StopReason.MaxTokens)
            {
                problem = $"the answer was still incomplete after {maxTokens} tokens (Llm:MaxOutputTokens)";
                maxTokens = Math.Min(room, maxTokens * 2);
            }
            else if (type.Validator.Validate(result.Text) is { Count: > 0 } errors)
            {
                problem = $"the answer did not match the schema: {string.Join("; ", errors.Take(3))}";
            }
            else
            {
                return result;
            }
            LogRetry(logger, attempt, problem);
        }
        throw new PermanentExtractionException($"the model gave no valid answer in {settings.MaxAttempts} attempt(s): {problem}");
    }

    private SamplerSettings Sampler(int attempt)
    {
        var settings = engine.Options;
        // Retrying greedy decoding would repeat the same answer: later attempts sample, with a fixed seed per
        // attempt, so a document still always gets the same JSON.
        var temperature = settings.Temperature > 0 ? settings.Temperature : attempt == 1 ? 0 : 0.7f;
        return temperature <= 0 ? SamplerSettings.Greedy : SamplerSettings.Random(temperature, settings.Seed + (uint)attempt - 1);
    }

    private JsonObject ModelDetails()
    {
        var model = engine.Model;
        var backend = LlmEngine.Backend;
        return new JsonObject
        {
            ["file"] = Path.GetFileName(model.Path),
            ["sha256"] = model.FileSha256,
            ["description"] = model.Description,
            ["parameters"] = model.ParameterCount,
            ["chatTemplate"] = engine.Template.Source,
            ["backend"] = backend.Backend.ToString().ToLowerInvariant(),
            ["devices"] = new JsonArray([.. backend.Devices.Select(d => JsonValue.Create(d.Description))]),
        };
    }

    private sealed class Usage
    {
        private int _prompt;
        private int _reused;
        private int _generated;
        private TimeSpan _queueTime;
        private TimeSpan _promptTime;
        private TimeSpan _generationTime;
        private StopReason _stop;
        private int _attempts;
        private SamplerSettings _sampler = SamplerSettings.Greedy;

        public int Generated => _generated;

        /// <summary>Counts one generation; with page windows, attempts are the most any window needed.</summary>
        public void Add(GenerationResult result, int attempt, SamplerSettings sampler)
        {
            _attempts = Math.Max(_attempts, attempt);
            _sampler = sampler;
            _prompt += result.PromptTokens;
            _reused += result.PromptTokensReused;
            _generated += result.GeneratedTokens;
            _queueTime += result.QueueTime;
            _promptTime += result.PromptTime;
            _generationTime += result.GenerationTime;
            _stop = result.StopReason;
        }

        /// <summary>Writes the attempts, sampler, tokens, timings and stop reason into a result's details.</summary>
        public void CopyTo(JsonObject details)
        {
            foreach (var (key, value) in ToJson())
            {
                details[key] = value?.DeepClone();
            }
        }

        public JsonObject ToJson() => new()
        {
            ["attempts"] = _attempts,
            ["sampler"] = new JsonObject
            {
                ["temperature"] = _sampler.Temperature,
                ["seed"] = _sampler.IsGreedy ? null : _sampler.Seed,
                ["topK"] = _sampler.TopK,
                ["topP"] = _sampler.TopP,
            },
            // prompt = promptEvaluated + promptReused: the reused tokens came from the cached instructions (#5).
            ["tokens"] = new JsonObject
            {
                ["prompt"] = _prompt,
                ["promptEvaluated"] = _prompt - _reused,
                ["promptReused"] = _reused,
                ["generated"] = _generated,
            },
            ["timings"] = new JsonObject
            {
                ["queuedMs"] = Math.Round(_queueTime.TotalMilliseconds, 1),
                ["promptMs"] = Math.Round(_promptTime.TotalMilliseconds, 1),
                ["generationMs"] = Math.Round(_generationTime.TotalMilliseconds, 1),
            },
            ["stopReason"] = _stop == StopReason.EndOfGeneration ? "end-of-generation" : "max-tokens",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extraction attempt {Attempt} gave no valid answer: {Problem}")]
    private static partial void LogRetry(ILogger logger, int attempt, string problem);
}
