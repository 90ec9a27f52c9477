using System.Net;
using System.Net.Http.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Defining_a_custom_document_type(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Is_stored_in_postgresql_versioned_by_the_hash_of_its_bytes_and_listed_beside_the_built_in_types()
    {
        using var client = api.CreateClient();
        var json = CustomSchemas.Claim();

        using var put = await client.PutSchemaAsync("claim", json);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("/schemas/claim", put.Headers.Location?.OriginalString);
        var created = await put.JsonAsync();
        Assert.Equal(Schemas.VersionOf(json), created.GetProperty("version").GetString());
        Assert.Equal("custom", created.GetProperty("source").GetString());
        Assert.Equal(4, created.GetProperty("fieldCount").GetInt32());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM custom_schemas WHERE tenant_id = 'default' AND name = 'claim' AND version = $1", Schemas.VersionOf(json)));

        var list = (await client.GetJsonAsync("/schemas")).GetProperty("items").EnumerateArray().ToList();
        var claim = Assert.Single(list, item => item.GetProperty("name").GetString() == "claim");
        Assert.Equal("custom", claim.GetProperty("source").GetString());
        Assert.Equal("Insurance claim", claim.GetProperty("title").GetString());
        var invoice = Assert.Single(list, item => item.GetProperty("name").GetString() == "invoice");
        Assert.Equal("built-in", invoice.GetProperty("source").GetString());
        Assert.Equal(64, invoice.GetProperty("version").GetString()!.Length);
        Assert.True(invoice.GetProperty("fieldCount").GetInt32() > 5);
    }

    [Fact]
    public async Task Keeps_every_version_newest_first_and_serves_any_of_them()
    {
        using var client = api.CreateClient();
        var first = CustomSchemas.Claim("Motor claim");
        var second = CustomSchemas.Claim("Motor claim, second edition");

        Assert.Equal(HttpStatusCode.Created, (await client.PutSchemaAsync("motor-claim", first)).StatusCode);
        using var again = await client.PutSchemaAsync("motor-claim", first);
        using var changed = await client.PutSchemaAsync("motor-claim", second);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await again.JsonAsync()).GetProperty("versions").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var current = await client.GetJsonAsync("/schemas/motor-claim");
        Assert.Equal(Schemas.VersionOf(second), current.GetProperty("version").GetString());
        Assert.Equal("Motor claim, second edition", current.GetProperty("schema").GetProperty("title").GetString());
        Assert.Equal([Schemas.VersionOf(second), Schemas.VersionOf(first)],
            current.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToList());
        var older = await client.GetJsonAsync($"/schemas/motor-claim?version={Schemas.VersionOf(first)}");
        Assert.Equal("Motor claim", older.GetProperty("schema").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Can_be_named_at_upload_and_a_version_of_it_at_re_extraction()
    {
        using var client = api.CreateClient();
        var json = CustomSchemas.Claim("Household claim");
        await client.PutSchemaAsync("household-claim", json);

        using var upload = await client.PostAsync(TestPdfs.Invoice($"household-{Guid.NewGuid()}"), schema: "household-claim");

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var document = await upload.DocumentAsync();
        Assert.Equal("household-claim", document.Schema);
        using var again = await client.PostAsJsonAsync($"/documents/{document.Id}/extractions",
            new { schema = "household-claim", version = Schemas.VersionOf(json) });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var payload = await api.Database.ScalarAsync<string>(
            "SELECT payload::text FROM outbox WHERE message_id = $1", (await again.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Contains($"\"SchemaVersion\": \"{Schemas.VersionOf(json)}\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cannot_replace_a_built_in_type()
    {
        using var client = api.CreateClient();

        using var response = await client.PutSchemaAsync("invoice", CustomSchemas.Claim());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'invoice' is a built-in document type", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_name_is_404_problem()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/schemas/no-such-type");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown schema 'no-such-type'", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
