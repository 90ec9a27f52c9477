using DocExtract.Pipeline.Processing;

namespace DocExtract.Pipeline.Extraction;

/// <summary>Loads the model when the worker starts, so a wrong path or a broken file stops it at once, loudly.</summary>
public sealed class LlmStartup(LlmEngine engine, WorkerMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Observe(engine);
        if (engine.IsConfigured)
        {
            engine.EnsureLoaded();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
