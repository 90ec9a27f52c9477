using System.Text.Json;
using DocExtract.Operations.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DocExtract.Operations.Management;

/// <summary>The probes and the scrape endpoint, the same on the API and on the worker's management listener.</summary>
public static class OperationsEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process answers, nothing else (a database outage must not get the process restarted).
        // Liveness is the one endpoint of the API without a key (issue #7): a process supervisor has none to send.
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        });
        return endpoints;
    }

    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        // OpenTelemetry's scraping middleware as the body of a GET handler: its own MapPrometheusScrapingEndpoint
        // maps a bare RequestDelegate for every method, which the OpenAPI document cannot describe.
        var scrape = endpoints.CreateApplicationBuilder()
            .UseOpenTelemetryPrometheusScrapingEndpoint(endpoints.ServiceProvider.GetRequiredService<PrometheusMetrics>().Provider,
                predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null)
            .Build();
        return endpoints.MapGet("/metrics", async (HttpContext context) =>
            {
                await scrape(context);
                return Results.Empty;
            })
            .WithName("GetMetrics")
            .WithSummary("Metrics in Prometheus text format 0.0.4")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    // Which check failed and why, so an operator reading a 503 knows where to look.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description ?? entry.Value.Exception?.Message,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, _json));
    }

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the shared metrics exposition for the given meters.</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, params string[] meterNames) =>
        services.AddSingleton(_ => new PrometheusMetrics(meterNames));
}
