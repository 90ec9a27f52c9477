using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests;

public sealed partial class The_openapi_document(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly HashSet<string> s_verbs = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task Describes_exactly_the_routes_the_app_serves()
    {
        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(operation => s_verbs.Contains(operation.Name))
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();

        // Every endpoint, minimal API or not (health checks, a raw RequestDelegate), unless it opted out
        // explicitly, as the /openapi document's own endpoint does. An endpoint without a method answers
        // any; the probes among those are read with GET.
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} {Normalize(endpoint.RoutePattern.RawText!)}"))
            .ToHashSet();

        Assert.True(routes.SetEquals(documented),
            $"served but not documented: [{string.Join(", ", routes.Except(documented))}]; " +
            $"documented but not served: [{string.Join(", ", documented.Except(routes))}]");
        Assert.Contains("POST /documents", documented);
        Assert.Contains("GET /health/ready", documented);
    }

    [Fact]
    public async Task Documents_the_upload_as_answering_202_and_problem_details()
    {
        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var upload = document.GetProperty("paths").GetProperty("/documents").GetProperty("post").GetProperty("responses");

        Assert.True(upload.TryGetProperty("202", out _), upload.ToString());
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
    }

    // "/documents/{id:guid}" -> "/documents/{id}" and a group's "/documents/" -> "/documents", as OpenAPI writes them.
    private static string Normalize(string pattern) => "/" + RouteParameter().Replace(pattern.Trim('/'), "{$1}");

    [GeneratedRegex(@"\{\**([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
