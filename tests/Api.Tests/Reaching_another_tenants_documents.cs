using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Documents;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests;

/// <summary>
/// Every route the API maps, called with an admin key of another tenant than the document's: none may show, change
/// or reveal it. The routes come from the app itself, so a route added without a case here fails this test by name.
/// </summary>
public sealed class Reaching_another_tenants_documents(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    private sealed record Scene(
        HttpClient Owner, HttpClient Stranger, DocumentResponse Document, byte[] Pdf, string IdempotencyKey, TestDatabase Database);

    /// <summary>Route (method and pattern as the app maps it) -> how another tenant calls it, and what must hold.</summary>
    private static readonly Dictionary<string, Func<Scene, Task>> _cases = new()
    {
        ["POST /documents/"] = async s =>
        {
            // The same Idempotency-Key and bytes in another tenant are a new document, never a replay of the owner's.
            using var response = await s.Stranger.PostAsync(s.Pdf, s.IdempotencyKey);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.NotEqual(s.Document.Id, (await response.DocumentAsync()).Id);
        },
        ["GET /documents/"] = async s =>
        {
            var page = await s.Stranger.GetFromJsonAsync<DocumentPage>("/documents?pageSize=200");
            Assert.DoesNotContain(s.Document.Id, page!.Items.Select(d => d.Id));
        },
        ["GET /documents/{id:guid}"] = s => AssertNotFoundAsync(s.Stranger.GetAsync(s.Document.Links.Self)),
        ["GET /documents/{id:guid}/result"] = s => AssertNotFoundAsync(s.Stranger.GetAsync(s.Document.Links.Result)),
        ["GET /documents/{id:guid}/file"] = s => AssertNotFoundAsync(s.Stranger.GetAsync(s.Document.Links.File)),
        ["DELETE /documents/{id:guid}"] = async s =>
        {
            await AssertNotFoundAsync(s.Stranger.DeleteAsync(s.Document.Links.Self));
            Assert.Equal(HttpStatusCode.OK, (await s.Owner.GetAsync(s.Document.Links.Self)).StatusCode);
        },
        ["POST /documents/{id:guid}/extractions/"] = async s =>
        {
            await AssertNotFoundAsync(s.Stranger.PostAsJsonAsync($"{s.Document.Links.Self}/extractions", new { schema = "invoice" }));
            var runs = await s.Owner.GetFromJsonAsync<JsonElement>($"{s.Document.Links.Self}/extractions");
            Assert.Equal(1, runs.GetProperty("items").GetArrayLength());
        },
        ["GET /documents/{id:guid}/extractions/"] = s => AssertNotFoundAsync(s.Stranger.GetAsync($"{s.Document.Links.Self}/extractions")),
        ["GET /documents/{id:guid}/extractions/{extractionId:guid}"] = async s =>
        {
            var runs = await s.Owner.GetFromJsonAsync<JsonElement>($"{s.Document.Links.Self}/extractions");
            var link = runs.GetProperty("items")[0].GetProperty("link").GetString()!;
            await AssertNotFoundAsync(s.Stranger.GetAsync(link));
        },
        ["GET /schemas/"] = async s =>
        {
            var name = await PutPrivateSchemaAsync(s);
            var list = await s.Stranger.GetFromJsonAsync<JsonElement>("/schemas");
            Assert.DoesNotContain(name, list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        },
        ["GET /schemas/{name}"] = async s =>
        {
            var name = await PutPrivateSchemaAsync(s);
            using var response = await s.Stranger.GetAsync($"/schemas/{name}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        },
        ["PUT /schemas/{name}"] = async s =>
        {
            // The stranger's type of the same name is its own: the owner's stays as the owner wrote it.
            var name = await PutPrivateSchemaAsync(s);
            using var theirs = await s.Stranger.PutSchemaAsync(name, CustomSchemas.Claim("Not the owner's"));
            Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
            var owners = await s.Owner.GetFromJsonAsync<JsonElement>($"/schemas/{name}");
            Assert.Equal("Owner's claim", owners.GetProperty("schema").GetProperty("title").GetString());
            Assert.Equal(1, owners.GetProperty("versions").GetArrayLength());
        },
        ["DELETE /schemas/{name}"] = async s =>
        {
            // The owner's type is not the stranger's to delete: the same 404 as a name nobody used.
            var name = await PutPrivateSchemaAsync(s);
            using var response = await s.Stranger.DeleteAsync($"/schemas/{name}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s.Owner.GetAsync($"/schemas/{name}")).StatusCode);
        },
        ["GET /results/"] = async s =>
        {
            await s.Database.ExecuteAsync("UPDATE results SET schema_name = 'invoice' WHERE document_id = $1", s.Document.Id);
            var id = s.Document.Id.ToString();
            // The owner's export has it (so the stranger's could have), the stranger's has not.
            Assert.Contains(id, await s.Owner.GetStringAsync("/results?schema=invoice&format=ndjson"), StringComparison.Ordinal);
            Assert.DoesNotContain(id, await s.Stranger.GetStringAsync("/results?schema=invoice&format=ndjson"), StringComparison.Ordinal);
            Assert.DoesNotContain(id, await s.Stranger.GetStringAsync("/results?schema=invoice&format=csv"), StringComparison.Ordinal);
        },
        ["GET /audit/"] = async s =>
        {
            var forDocument = await s.Stranger.GetFromJsonAsync<JsonElement>($"/audit?document={s.Document.Id}");
            Assert.Equal(0, forDocument.GetProperty("items").GetArrayLength());
            var all = await s.Stranger.GetFromJsonAsync<JsonElement>("/audit?limit=1000");
            Assert.All(all.GetProperty("items").EnumerateArray(), r => Assert.NotEqual(s.Document.Id.ToString(), r.GetProperty("documentId").GetString()));
        },
        ["GET /usage/"] = async s =>
        {
            // The owner's document has tokens in the ledger; the stranger's totals have none of them.
            await s.Database.RecordUsageAsync("north", "invoice", "llm", 7, 0, 0, DateTimeOffset.UtcNow.AddMinutes(-1), s.Document.Id);
            Assert.Contains("\"documents\"", await s.Owner.GetStringAsync("/usage?groupBy=route"), StringComparison.Ordinal);
            var theirs = await s.Stranger.GetFromJsonAsync<JsonElement>("/usage?groupBy=route");
            Assert.Equal(0, theirs.GetProperty("groups").GetArrayLength());
        },
        ["GET /usage/report"] = async s =>
        {
            await s.Database.RecordUsageAsync("north", "invoice", "llm", 7, 0, 0, DateTimeOffset.UtcNow.AddMinutes(-1), s.Document.Id);
            Assert.NotEqual(0, (await s.Owner.GetFromJsonAsync<JsonElement>("/usage/report")).GetProperty("documents").GetInt64());
            Assert.Equal(0, (await s.Stranger.GetFromJsonAsync<JsonElement>("/usage/report")).GetProperty("documents").GetInt64());
        },
        ["GET /evaluations"] = async s =>
        {
            // The owner's review of the document counts in the owner's evaluation and not at all in the stranger's.
            await s.Database.ApproveAsync(s.Document.Id, "invoice", """{ "invoice_number": "N-1" }""");
            var owners = await s.Owner.GetStringAsync("/evaluations?type=invoice");
            var theirs = await s.Stranger.GetStringAsync("/evaluations?type=invoice");
            Assert.NotEqual(0, JsonDocument.Parse(owners).RootElement.GetProperty("figures").GetProperty("documents").GetInt32());
            Assert.Equal(0, JsonDocument.Parse(theirs).RootElement.GetProperty("figures").GetProperty("documents").GetInt32());
            Assert.DoesNotContain(s.Document.Id.ToString(), theirs, StringComparison.Ordinal);
        },
        // The review screen (#13): the stranger's key reaches the same endpoints the screen uses.
        ["GET /documents/{id:guid}/pages/{page:int}/image"] = s => AssertNotFoundAsync(s.Stranger.GetAsync($"{s.Document.Links.Self}/pages/1/image")),
        ["POST /documents/{id:guid}/review"] = async s =>
        {
            await AssertNotFoundAsync(s.Stranger.PostAsJsonAsync($"{s.Document.Links.Self}/review", new { data = new { } }));
            Assert.Equal("succeeded", (await s.Owner.GetFromJsonAsync<DocumentResponse>(s.Document.Links.Self))!.Status);
        },
        ["GET /review/api/documents/{id:guid}"] = s => AssertNotFoundAsync(s.Stranger.GetAsync($"/review/api/documents/{s.Document.Id}")),
        ["GET /review/api/queue"] = async s =>
        {
            await s.Database.ExecuteAsync("UPDATE documents SET status = 'needs_review' WHERE id = $1", s.Document.Id);
            var id = s.Document.Id.ToString();
            Assert.Contains(id, await s.Owner.GetStringAsync("/review/api/queue"), StringComparison.Ordinal);
            Assert.DoesNotContain(id, await s.Stranger.GetStringAsync("/review/api/queue"), StringComparison.Ordinal);
        },
        ["GET /review/api/usage/report"] = async s =>
        {
            await s.Database.RecordUsageAsync("north", "invoice", "llm", 7, 0, 0, DateTimeOffset.UtcNow.AddMinutes(-1), s.Document.Id);
            Assert.NotEqual(0, (await s.Owner.GetFromJsonAsync<JsonElement>("/review/api/usage/report")).GetProperty("documents").GetInt64());
            Assert.Equal(0, (await s.Stranger.GetFromJsonAsync<JsonElement>("/review/api/usage/report")).GetProperty("documents").GetInt64());
        },
        ["GET /review/"] = s => AssertSaysNothingOfAsync(s, "/review"),
        ["GET /review/assets/{name}"] = s => AssertSaysNothingOfAsync(s, "/review/assets/review.js"),
        ["GET /review/api/session"] = s => AssertSaysNothingOfAsync(s, "/review/api/session"),
        ["POST /review/api/sign-in"] = async s =>
        {
            using var response = await s.Stranger.PostAsJsonAsync("/review/api/sign-in", new { key = "dx_000000000000_x" });
            Assert.DoesNotContain(s.Document.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        },
        ["POST /review/api/sign-out"] = async s =>
        {
            using var response = await s.Stranger.PostAsync("/review/api/sign-out", null);
            Assert.DoesNotContain(s.Document.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        },
        // Health holds no tenant data; it must still not mention the document.
        ["* /health/live"] = s => AssertSaysNothingOfAsync(s, "/health/live"),
        ["* /health/ready"] = s => AssertSaysNothingOfAsync(s, "/health/ready"),
        ["GET /metrics"] = s => AssertSaysNothingOfAsync(s, "/metrics"),
        ["GET /openapi/{documentName}.json"] = s => AssertSaysNothingOfAsync(s, "/openapi/v1.json"),
    };

    [Fact]
    public async Task Every_route_answers_as_if_the_document_did_not_exist()
    {
        var routes = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().Order().ToList();
        Assert.NotEmpty(routes);
        var missing = routes.Where(r => !_cases.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0,
            $"route(s) without a cross-tenant case: {string.Join(", ", missing)}; add each to {nameof(Reaching_another_tenants_documents)}.{nameof(_cases)}");

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var scene = await SetUpAsync();
            try
            {
                await _cases[route](scene);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or HttpRequestException)
            {
                failures.Add($"{route}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Answers_another_tenants_id_exactly_as_an_unknown_id()
    {
        var scene = await SetUpAsync();
        var unknown = Guid.NewGuid();

        using var theirs = await scene.Stranger.GetAsync(scene.Document.Links.Self);
        using var none = await scene.Stranger.GetAsync($"/documents/{unknown}");

        Assert.Equal(none.StatusCode, theirs.StatusCode);
        Assert.Equal(
            (await none.ProblemAsync()).GetProperty("detail").GetString()!.Replace(unknown.ToString(), "ID", StringComparison.Ordinal),
            (await theirs.ProblemAsync()).GetProperty("detail").GetString()!.Replace(scene.Document.Id.ToString(), "ID", StringComparison.Ordinal));
    }

    private async Task<Scene> SetUpAsync()
    {
        var owner = await api.CreateClientAsync("north", ApiRoles.Admin);
        var stranger = await api.CreateClientAsync("south", ApiRoles.Admin);
        var key = Guid.NewGuid().ToString();
        var pdf = TestPdfs.Invoice($"tenant-{key}");
        var document = await (await owner.PostAsync(pdf, key)).DocumentAsync();
        await api.Database.SucceedAsync(document.Id);
        // The owner reads it, so the audit trail holds records of it that a stranger must not see.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(document.Links.Result)).StatusCode);
        return new Scene(owner, stranger, document, pdf, key, api.Database);
    }

    private static async Task<string> PutPrivateSchemaAsync(Scene s)
    {
        var name = $"private-{Guid.NewGuid():N}"[..20];
        using var put = await s.Owner.PutSchemaAsync(name, CustomSchemas.Claim("Owner's claim"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return name;
    }

    private static async Task AssertNotFoundAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Document not found", (await response.ProblemAsync()).GetProperty("title").GetString());
    }

    private static async Task AssertSaysNothingOfAsync(Scene s, string path)
    {
        using var response = await s.Stranger.GetAsync(path);
        Assert.DoesNotContain(s.Document.Id.ToString(), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
