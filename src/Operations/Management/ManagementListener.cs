using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DocExtract.Operations.Metrics;

namespace DocExtract.Operations.Management;

/// <summary>
/// A small Kestrel listener on <see cref="ManagementOptions.Urls"/> serving /health/live, /health/ready and
/// /metrics from the host's own health checks and meters. It lets the worker (a generic host, no web server)
/// answer probes, and keeps scrapes off the API's public port. Registered before the other hosted services, it
/// answers "not ready" while the model is still loading.
/// </summary>
public sealed partial class ManagementListener(
    IServiceProvider host, IOptions<ManagementOptions> options, ILogger<ManagementListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = options.Value.Urls;
        if (string.IsNullOrWhiteSpace(urls))
        {
            return;
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(host.GetRequiredService<HealthCheckService>());
        builder.Services.AddSingleton(host.GetRequiredService<PrometheusMetrics>());
        builder.Services.AddRouting();
        _app = builder.Build();
        _app.MapHealthProbes();
        _app.MapPrometheusMetrics();
        await _app.StartAsync(cancellationToken);
        LogListening(logger, string.Join(", ", _app.Urls));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Management listener (/health/live, /health/ready, /metrics) on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);
}
