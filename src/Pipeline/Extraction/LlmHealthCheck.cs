using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DocExtract.Pipeline.Extraction;

/// <summary>A worker with a model is ready only once the model is loaded (a 7B model takes a while on start).</summary>
public sealed class LlmHealthCheck(LlmEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine switch
        {
            { IsConfigured: false } => HealthCheckResult.Healthy("no model configured (Llm:Model): text only"),
            { IsLoaded: true } => HealthCheckResult.Healthy($"model {Path.GetFileName(engine.Options.ModelReference)} loaded"),
            _ => HealthCheckResult.Unhealthy($"model {Path.GetFileName(engine.Options.ModelReference)} not loaded yet"),
        });
}
