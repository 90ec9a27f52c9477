using DocExtract.Llama;
using DocExtract.Llama.Models;
using DocExtract.Pipeline.Processing;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.Extraction;

/// <summary>
/// The model and its context, loaded once per worker process (a model is gigabytes; loading it per document would
/// cost more than the document). Documents share the context through a <see cref="BatchScheduler"/> (#5): up to
/// <see cref="LlmOptions.MaxSequences"/> decode side by side, and each type's instructions are evaluated once.
/// </summary>
public sealed partial class LlmEngine(IOptions<LlmOptions> options, WorkerMetrics metrics, ILogger<LlmEngine> logger) : IDisposable
{
    private readonly Lock _loadLock = new();
    private LlamaModel? _model;
    private LlamaContext? _context;
    private BatchScheduler? _scheduler;
    private PromptTemplate? _template;

    public LlmOptions Options => options.Value;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ModelReference);

    /// <summary>The model is in memory and documents can be decoded (the worker's readiness).</summary>
    public bool IsLoaded => Volatile.Read(ref _scheduler) is not null;

    public LlamaModel Model => EnsureLoaded().Model;

    public static LlamaBackendInfo Backend => LlamaBackend.Current;

    /// <summary>The chat template prompts are framed with (Llm:ChatTemplate, else the model's own), checked at load.</summary>
    public PromptTemplate Template
    {
        get
        {
            EnsureLoaded();
            return _template!;
        }
    }

    /// <summary>Tokens of prompt plus answer one document may use.</summary>
    public int ContextSize => EnsureLoaded().ContextSizePerSequence;

    public PrefixCacheStatistics PrefixStatistics => _scheduler?.PrefixStatistics ?? new PrefixCacheStatistics(0, 0, 0, 0);

    /// <summary>Loads the backend and the model if that has not happened yet; throws with the reason if it cannot.</summary>
    public LlamaContext EnsureLoaded()
    {
        lock (_loadLock)
        {
            if (_context is not null)
            {
                return _context;
            }
            var settings = options.Value;
            if (!IsConfigured)
            {
                throw new InvalidOperationException("no model is configured (Llm:Model)");
            }
            var file = ResolveModelFile(settings);
            if (!LlamaBackend.IsInitialized)
            {
                LlamaBackend.Initialize(new LlamaBackendOptions { Backend = settings.Backend, NativeDirectory = settings.NativeDirectory }, logger);
            }
            _model = LlamaModel.Load(file, new LlamaModelOptions { GpuLayers = settings.GpuLayers });
            _template = ResolveTemplate(_model, settings.ChatTemplate);
            var defaults = new LlamaContextOptions();
            // Beyond the context a model was trained on its output degrades: never ask for more than that.
            var contextSize = _model.TrainingContextLength > 0 ? Math.Min(settings.ContextSize, _model.TrainingContextLength) : settings.ContextSize;
            var scheduling = new BatchSchedulerOptions
            {
                Slots = settings.MaxSequences,
                PrefixCacheSize = settings.PrefixCacheSize,
                PromptChunk = settings.PromptChunk,
                SmallStepTokens = settings.SmallStepTokens,
                SamplingThreads = settings.SamplingThreads > 0 ? settings.SamplingThreads : Environment.ProcessorCount,
            };
            // One KV stream per sequence (llama.cpp's non-unified cache): each document gets the whole
            // Llm:ContextSize, and its logits do not depend on where its neighbours' cells lie.
            try
            {
                _context = _model.CreateContext(new LlamaContextOptions
                {
                    ContextSize = contextSize * scheduling.Sequences,
                    BatchSize = settings.BatchSize,
                    MaxSequences = scheduling.Sequences,
                    Threads = settings.Threads > 0 ? settings.Threads : defaults.Threads,
                    ThreadsBatch = settings.ThreadsBatch > 0 ? settings.ThreadsBatch : defaults.ThreadsBatch,
                });
                _scheduler = new BatchScheduler(_context, scheduling);
            }
            catch
            {
                // A model is gigabytes: a start that fails here (llama.cpp refusing the context, settings the
                // scheduler refuses) lets it go, so neither the failure nor the next attempt keeps a copy mapped.
                _context?.Dispose();
                _context = null;
                _model.Dispose();
                _model = null;
                throw;
            }
            LogLoaded(logger, Path.GetFileName(file), _model.Description, _context.ContextSizePerSequence,
                scheduling.Slots, scheduling.PrefixCacheSize, _context.Threads);
            return _context;
        }
    }

    /// <summary>Llm:Model as a path, or as a name of the models folder (issue #11): the file, or why there is none.</summary>
    private static string ResolveModelFile(LlmOptions settings)
    {
        var reference = settings.ModelReference!;
        var store = new ModelStore(settings.ModelsDirectory);
        var file = store.Resolve(reference) ?? throw new FileNotFoundException(
            $"Llm:Model '{reference}' is no model in {store.Directory} (Llm:ModelsDirectory): `scripts/models.sh list` shows the names " +
            "there and `scripts/models.sh pull|import|import-ollama` brings one in; a path needs a '/' or the .gguf ending");
        return File.Exists(file) ? file : throw new FileNotFoundException(
            ModelStore.IsPath(reference)
                ? $"the model file {file} (Llm:Model) does not exist"
                : $"the model '{reference}' (Llm:Model) stands for {file}, which does not exist: `scripts/models.sh rm {reference}` and bring it in again",
            file);
    }

    /// <summary>Runs one generation with nothing shared; <see cref="GenerationOptions.SequenceId"/> is ignored.</summary>
    public Task<GenerationResult> GenerateAsync(int[] prompt, GenerationOptions generation, CancellationToken cancellationToken) =>
        GenerateAsync(ScheduledPrompt.Unshared(prompt), generation, cancellationToken);

    /// <summary>
    /// Queues one generation beside the other documents' and completes when it is done; the decode loop's thread
    /// does the work. Cancelling frees the document's slot at the next step.
    /// </summary>
    public async Task<GenerationResult> GenerateAsync(ScheduledPrompt prompt, GenerationOptions generation, CancellationToken cancellationToken)
    {
        EnsureLoaded();
        var result = await _scheduler!.SubmitAsync(prompt, generation, cancellationToken);
        metrics.Tokens(result);
        return result;
    }

    /// <summary>An unusable template stops the load; the model is let go so the next attempt starts clean.</summary>
    private PromptTemplate ResolveTemplate(LlamaModel model, string? setting)
    {
        try
        {
            return PromptTemplate.Resolve(model, setting);
        }
        catch
        {
            model.Dispose();
            _model = null;
            throw;
        }
    }

    public void Dispose()
    {
        _scheduler?.Dispose();
        _context?.Dispose();
        _model?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Model {File} loaded ({Description}), context {ContextSize} tokens per document, {Slots} document(s) at once, {Prefixes} cached prefix(es), {Threads} thread(s)")]
    private static partial void LogLoaded(ILogger logger, string file, string description, int contextSize, int slots, int prefixes, int threads);
}
