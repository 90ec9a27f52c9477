using System.Net;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>DELETE /schemas/{name} (#15): every version of the tenant's custom type goes, with an audit record.</summary>
public sealed class Deleting_a_custom_document_type(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Removes_every_version_records_it_and_later_uploads_naming_it_are_refused()
    {
        using var client = api.CreateClient();
        var first = CustomSchemas.Claim("Boat claim");
        var second = CustomSchemas.Claim("Boat claim, second edition");
        await client.PutSchemaAsync("boat-claim", first);
        await client.PutSchemaAsync("boat-claim", second);

        using var response = await client.DeleteAsync("/schemas/boat-claim");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM custom_schemas WHERE name = 'boat-claim'"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/schemas/boat-claim")).StatusCode);
        var details = await api.Database.ScalarAsync<string>(
            "SELECT details::text FROM audit_log WHERE action = 'schema.deleted' AND details::jsonb->>'schema' = 'boat-claim'");
        Assert.Contains(Schemas.VersionOf(first), details, StringComparison.Ordinal);
        Assert.Contains(Schemas.VersionOf(second), details, StringComparison.Ordinal);
        using var upload = await client.PostAsync(TestPdfs.Invoice($"boat-{Guid.NewGuid()}"), schema: "boat-claim");
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Contains("unknown schema 'boat-claim'", (await upload.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task May_be_defined_again_afterwards_as_a_new_type()
    {
        using var client = api.CreateClient();
        await client.PutSchemaAsync("kite-claim", CustomSchemas.Claim("Kite claim"));
        await client.DeleteAsync("/schemas/kite-claim");

        using var again = await client.PutSchemaAsync("kite-claim", CustomSchemas.Claim("Kite claim"));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, (await again.JsonAsync()).GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task A_built_in_type_is_409_and_an_unknown_name_404()
    {
        using var client = api.CreateClient();

        using var builtIn = await client.DeleteAsync("/schemas/invoice");
        using var unknown = await client.DeleteAsync("/schemas/no-such-type");

        Assert.Equal(HttpStatusCode.Conflict, builtIn.StatusCode);
        Assert.Contains("built-in", (await builtIn.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("unknown schema 'no-such-type'", (await unknown.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read")]
    [InlineData("submit")]
    public async Task Needs_an_admin_key(string role)
    {
        using var admin = api.CreateClient();
        var name = $"{role}-claim";
        await admin.PutSchemaAsync(name, CustomSchemas.Claim());
        using var client = await api.CreateClientAsync("default", role);

        using var response = await client.DeleteAsync($"/schemas/{name}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/schemas/{name}")).StatusCode);
    }
}
