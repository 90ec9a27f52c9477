using DocExtract.Operations.Settings;
using DocExtract.Operations.Egress;
using DocExtract.Operations.Management;
using DocExtract.Operations.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DocExtract.Operations;

public static class OperationsExtensions
{
    /// <summary>
    /// The outbound self-check, the PostgreSQL readiness check, metrics for <paramref name="meterNames"/> and the
    /// management listener. Call it first, so that the self-check and the listener start before anything else.
    /// MassTransit adds its own bus check, tagged "ready" too.
    /// </summary>
    public static IServiceCollection AddDocExtractOperations(
        this IServiceCollection services, IConfiguration configuration, params string[] meterNames)
    {
        services.AddHostedService<OutboundEndpointCheck>();
        services.AddWebhookOptions(configuration);
        services.AddSettings<ManagementOptions>(configuration, ManagementOptions.Section);
        services.AddPrometheusMetrics(meterNames);
        services.AddHostedService<ManagementListener>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", HealthStatus.Unhealthy, [OperationsEndpoints.ReadyTag]);
        return services;
    }
}
