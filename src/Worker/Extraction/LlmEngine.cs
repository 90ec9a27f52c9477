using DocExtract.Llama;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Extraction;

/// <summary>
/// The model and its context, loaded once per worker process (a model is gigabytes; loading it per document would
/// cost more than the document). One document uses the context at a time until the batching scheduler (#5).
/// </summary>
public sealed partial class LlmEngine(IOptions<LlmOptions> options, ILogger<LlmEngine> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _loadLock = new();
    private LlamaModel? _model;
    private LlamaContext? _context;

    public LlmOptions Options => options.Value;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ModelPath);

    public LlamaModel Model => EnsureLoaded().Model;

    public LlamaBackendInfo Backend => LlamaBackend.Current;

    public int ContextSize => EnsureLoaded().ContextSize;

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
                throw new InvalidOperationException("no model is configured (Llm:ModelPath)");
            }
            if (!File.Exists(settings.ModelPath))
            {
                throw new FileNotFoundException($"the model file {settings.ModelPath} (Llm:ModelPath) does not exist", settings.ModelPath);
            }
            if (!LlamaBackend.IsInitialized)
            {
                LlamaBackend.Initialize(new LlamaBackendOptions { Backend = settings.Backend, NativeDirectory = settings.NativeDirectory }, logger);
            }
            _model = LlamaModel.Load(settings.ModelPath!, new LlamaModelOptions { GpuLayers = settings.GpuLayers });
            var defaults = new LlamaContextOptions();
            // Beyond the context a model was trained on its output degrades: never ask for more than that.
            var contextSize = _model.TrainingContextLength > 0 ? Math.Min(settings.ContextSize, _model.TrainingContextLength) : settings.ContextSize;
            _context = _model.CreateContext(new LlamaContextOptions
            {
                ContextSize = contextSize,
                BatchSize = settings.BatchSize,
                Threads = settings.Threads > 0 ? settings.Threads : defaults.Threads,
                ThreadsBatch = settings.ThreadsBatch > 0 ? settings.ThreadsBatch : defaults.ThreadsBatch,
            });
            LogLoaded(logger, Path.GetFileName(settings.ModelPath!), _model.Description, _context.ContextSize, _context.Threads);
            return _context;
        }
    }

    /// <summary>Runs one generation with the context to itself; other documents wait their turn.</summary>
    public async Task<GenerationResult> GenerateAsync(int[] prompt, GenerationOptions generation, CancellationToken cancellationToken)
    {
        var context = EnsureLoaded();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // llama_decode is synchronous and CPU- or GPU-bound: keep it off the caller's thread.
            return await Task.Run(() =>
            {
                try
                {
                    return context.Generate(prompt, generation, cancellationToken);
                }
                finally
                {
                    context.ClearSequence(generation.SequenceId);
                }
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _context?.Dispose();
        _model?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {File} loaded ({Description}), context {ContextSize} tokens, {Threads} thread(s)")]
    private static partial void LogLoaded(ILogger logger, string file, string description, int contextSize, int threads);
}
