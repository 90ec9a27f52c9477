using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests;

public sealed partial class The_openapi_document(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly HashSet<string> _verbs = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task Describes_exactly_the_routes_the_app_serves()
    {
        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var (undocumented, unserved) = Compare(api.Services, document);

        Assert.True(undocumented.Count == 0 && unserved.Count == 0,
            $"served but not documented: [{string.Join(", ", undocumented)}]; documented but not served: [{string.Join(", ", unserved)}]");
        Assert.Contains("POST /documents", Documented(document));
        Assert.Contains("GET /health/ready", Documented(document));
        Assert.Contains("GET /usage/report", Documented(document));
    }

    [Fact]
    public async Task Documents_the_upload_as_answering_202()
    {
        var document = await api.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var upload = document.GetProperty("paths").GetProperty("/documents").GetProperty("post").GetProperty("responses");

        Assert.True(upload.TryGetProperty("202", out _), upload.ToString());
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
    }

    [Fact]
    public async Task Catches_an_endpoint_the_document_does_not_describe()
    {
        // The check itself, on an app with one described endpoint and one raw RequestDelegate, which OpenAPI skips.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddOpenApi();
        await using var app = builder.Build();
        app.MapGet("/described", () => "yes");
        app.MapGet("/raw", (RequestDelegate)(context => context.Response.WriteAsync("no")));
        app.MapOpenApi();
        await app.StartAsync();

        var document = await app.GetTestClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var (undocumented, unserved) = Compare(app.Services, document);

        Assert.Equal(["GET /raw"], undocumented);
        Assert.Empty(unserved);
    }

    private static (List<string> Undocumented, List<string> Unserved) Compare(IServiceProvider services, JsonElement document)
    {
        var documented = Documented(document);
        // Every endpoint, minimal API or not (health checks, a raw RequestDelegate), unless it opted out
        // explicitly, as the /openapi document's own endpoint does. An endpoint without a method answers any;
        // the probes among those are read with GET.
        var routes = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} {Normalize(endpoint.RoutePattern.RawText!)}"))
            .ToHashSet();
        return ([.. routes.Except(documented).Order()], [.. documented.Except(routes).Order()]);
    }

    private static HashSet<string> Documented(JsonElement document) => document.GetProperty("paths").EnumerateObject()
        .SelectMany(path => path.Value.EnumerateObject().Where(operation => _verbs.Contains(operation.Name))
            .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
        .ToHashSet();

    // "/documents/{id:guid}" -> "/documents/{id}" and a group's "/documents/" -> "/documents", as OpenAPI writes them.
    private static string Normalize(string pattern) => "/" + RouteParameter().Replace(pattern.Trim('/'), "{$1}");

    [GeneratedRegex(@"\{\**([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
