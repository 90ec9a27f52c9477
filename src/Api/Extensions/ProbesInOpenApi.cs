using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace DocExtract.Api.Extensions;

/// <summary>
/// The health probes are health-check endpoints, not route handlers, so OpenAPI's endpoint discovery does not
/// see them; they are part of the API a deployment talks to, so the document lists them by hand. The test
/// comparing the document with the routes keeps this list honest.
/// </summary>
internal sealed class ProbesInOpenApi : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        Add(document, "/health/live", "Liveness: the process answers");
        Add(document, "/health/ready", "Readiness: PostgreSQL and RabbitMQ answer (each check's status in the body)");
        return Task.CompletedTask;
    }

    private static void Add(OpenApiDocument document, string path, string summary)
    {
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, new OpenApiOperation
        {
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy" },
                ["503"] = new OpenApiResponse { Description = "Unhealthy: the body names the failing check" },
            },
        });
        document.Paths.Add(path, item);
    }
}
