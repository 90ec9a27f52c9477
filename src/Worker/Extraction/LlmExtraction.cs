using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Llama;
using DocExtract.Schemas;
using DocExtract.Worker.Processing;
using DocExtract.Worker.TextExtraction;

namespace DocExtract.Worker.Extraction;

/// <summary>
/// The LLM stage (issue #3): the document's text in, JSON out that the type's grammar shaped while decoding and
/// its full JSON Schema then validated. An incomplete or invalid answer is retried within a bound and otherwise
/// fails the document with the reason: invalid JSON is never stored as a success.
/// </summary>
public sealed partial class LlmExtraction(LlmEngine engine, SchemaCatalog catalog, ILogger<LlmExtraction> logger) : IStructuredExtraction
{
    public const string ExtractedState = "extracted";
    public const string NoTextState = "no-text";

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

        var document = ExtractionPrompt.DocumentText(text.Pages);
        var details = new JsonObject { ["model"] = ModelDetails() };
        var type = requested;
        if (type is null)
        {
            (type, var classification) = await ClassifyAsync(await catalog.GetSnapshotAsync(cancellationToken), document, cancellationToken);
            details["classification"] = classification;
        }
        details["schema"] = new JsonObject { ["name"] = type.Name, ["version"] = type.Version };
        details["promptTemplate"] = ExtractionPrompt.TemplateVersion;

        var prompt = ExtractionPrompt.Tokenize(engine.Model, ExtractionPrompt.Instructions(type), document);
        var room = engine.ContextSize - prompt.Length;
        if (room < MinAnswerTokens)
        {
            throw new PermanentExtractionException(
                $"the document is too long for the model's context: its prompt is {prompt.Length} tokens and the context holds " +
                $"{engine.ContextSize} (Llm:ContextSize), leaving fewer than {MinAnswerTokens} tokens for the answer; split the document or raise the context size");
        }

        var (answer, usage) = await GenerateValidAsync(type, prompt.Scheduled($"extract:{type.Name}"), room, cancellationToken);
        foreach (var (key, value) in usage)
        {
            details[key] = value?.DeepClone();
        }
        using var parsed = JsonDocument.Parse(answer);
        return new StructuredData(type.Name, parsed.RootElement.Clone(), ExtractedState, null, details) { SchemaVersion = type.Version };
    }

    private async Task<(string Answer, JsonObject Usage)> GenerateValidAsync(
        DocumentSchema type, ScheduledPrompt prompt, int room, CancellationToken cancellationToken)
    {
        var settings = engine.Options;
        var maxTokens = Math.Min(room, settings.MaxOutputTokens);
        var usage = new Usage();
        var problem = "";
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            var sampler = Sampler(attempt);
            var result = await engine.GenerateAsync(prompt, new GenerationOptions
            {
                Grammar = type.Grammar.Text,
                Sampler = sampler,
                MaxTokens = maxTokens,
            }, cancellationToken);
            usage.Add(result);

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
                return (result.Text, usage.ToJson(attempt, sampler));
            }
            LogRetry(logger, attempt, problem);
        }
        throw new PermanentExtractionException($"the model gave no valid answer in {settings.MaxAttempts} attempt(s): {problem}");
    }

    private async Task<(DocumentSchema Type, JsonObject Details)> ClassifyAsync(
        SchemaCatalogSnapshot types, string document, CancellationToken cancellationToken)
    {
        if (types.Schemas.Count == 0)
        {
            throw new PermanentExtractionException("no document types are defined (the schemas folder is empty), so 'auto' cannot pick one");
        }
        // The grammar allows exactly the type names: the answer is always one of them.
        var choice = GbnfGrammar.FromJsonSchema(JsonSerializer.Serialize(new { type = "string", @enum = types.Schemas.Select(s => s.Name) }));
        var prompt = ExtractionPrompt.Tokenize(engine.Model, ExtractionPrompt.ClassifyInstructions(types.Schemas), document)
            .Truncated(engine.Options.ClassificationTokens);
        var result = await engine.GenerateAsync(prompt.Scheduled("classify"), new GenerationOptions
        {
            Grammar = choice.Text,
            Sampler = SamplerSettings.Greedy,
            MaxTokens = DocumentTypeName.MaxLength + 8,
        }, cancellationToken);
        var name = result.StopReason == StopReason.EndOfGeneration ? JsonSerializer.Deserialize<string>(result.Text) : null;
        var type = name is null ? null : types.Find(name);
        if (type is null)
        {
            throw new PermanentExtractionException("the document's type could not be determined; upload it again naming its type");
        }
        var usage = new Usage();
        usage.Add(result);
        var details = usage.ToJson(1, SamplerSettings.Greedy);
        details["type"] = type.Name;
        details["promptTemplate"] = ExtractionPrompt.ClassifyTemplateVersion;
        // The probability of the whole answer under the grammar-masked distribution (#6 turns this into a threshold).
        details["probability"] = Math.Exp(result.TokenLogProbabilities.Sum());
        return (type, details);
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
        var backend = engine.Backend;
        return new JsonObject
        {
            ["file"] = Path.GetFileName(model.Path),
            ["sha256"] = model.FileSha256,
            ["description"] = model.Description,
            ["parameters"] = model.ParameterCount,
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

        public void Add(GenerationResult result)
        {
            _prompt += result.PromptTokens;
            _reused += result.PromptTokensReused;
            _generated += result.GeneratedTokens;
            _queueTime += result.QueueTime;
            _promptTime += result.PromptTime;
            _generationTime += result.GenerationTime;
            _stop = result.StopReason;
        }

        public JsonObject ToJson(int attempts, SamplerSettings sampler) => new()
        {
            ["attempts"] = attempts,
            ["sampler"] = new JsonObject
            {
                ["temperature"] = sampler.Temperature,
                ["seed"] = sampler.IsGreedy ? null : sampler.Seed,
                ["topK"] = sampler.TopK,
                ["topP"] = sampler.TopP,
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
