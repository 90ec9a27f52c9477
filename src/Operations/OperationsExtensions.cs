using DocExtract.Contracts;
using DocExtract.Operations.Egress;
using DocExtract.Operations.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

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
        // Both hosts apply the webhook allow-list (issue #15): a malformed entry stops either at start, naming it.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookAllowListValidation>();
        services.Configure<ManagementOptions>(configuration.GetSection(ManagementOptions.Section));
        services.AddPrometheusMetrics(meterNames);
        services.AddHostedService<ManagementListener>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", HealthStatus.Unhealthy, [OperationsEndpoints.ReadyTag]);
        return services;
    }
}

internal sealed class WebhookAllowListValidation : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        options.AllowList.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
