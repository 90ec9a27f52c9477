using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Deleting_a_document(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Removes_the_document_its_file_and_its_pending_command()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"delete-{Guid.NewGuid()}"))).DocumentAsync();

        using var response = await client.DeleteAsync(document.Links.Self);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(document.Links.Self)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(document.Links.File)).StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM files WHERE sha256 = $1", document.Sha256));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(document.Links.Self)).StatusCode);
    }

    [Fact]
    public async Task Keeps_bytes_another_document_still_uses()
    {
        var pdf = TestPdfs.Invoice($"shared-{Guid.NewGuid()}");
        using var client = api.CreateClient();
        var first = await (await client.PostAsync(pdf)).DocumentAsync();
        var second = await (await client.PostAsync(pdf)).DocumentAsync();

        await client.DeleteAsync(first.Links.Self);

        Assert.Equal(pdf, await client.GetByteArrayAsync(second.Links.File));
    }

    [Fact]
    public async Task The_receipt_is_the_same_whether_or_not_another_tenant_holds_the_same_bytes()
    {
        var held = TestPdfs.Invoice($"held-elsewhere-{Guid.NewGuid()}");
        using var victim = await api.CreateClientAsync("victim", ApiRoles.Submit);
        using var prober = await api.CreateClientAsync("prober", ApiRoles.Admin);
        var victims = await (await victim.PostAsync(held)).DocumentAsync();

        var probe = await (await prober.PostAsync(held)).DocumentAsync();
        var unknown = await (await prober.PostAsync(TestPdfs.Invoice($"held-nowhere-{Guid.NewGuid()}"))).DocumentAsync();
        await prober.DeleteAsync(probe.Links.Self);
        await prober.DeleteAsync(unknown.Links.Self);

        Assert.Equal("deleted", await OriginalBytesAsync(prober, probe.Id));
        Assert.Equal("deleted", await OriginalBytesAsync(prober, unknown.Id));
        // The other tenant's document keeps its bytes all the same.
        using var victimsAdmin = await api.CreateClientAsync("victim", ApiRoles.Admin);
        Assert.Equal(held, await victimsAdmin.GetByteArrayAsync(victims.Links.File));
    }

    [Fact]
    public async Task The_receipt_says_kept_when_another_document_of_the_same_tenant_holds_the_bytes()
    {
        var pdf = TestPdfs.Invoice($"kept-in-tenant-{Guid.NewGuid()}");
        using var client = api.CreateClient();
        var first = await (await client.PostAsync(pdf)).DocumentAsync();
        await (await client.PostAsync(pdf)).DocumentAsync();

        await client.DeleteAsync(first.Links.Self);

        Assert.Equal("kept: another document of this tenant holds the same bytes", await OriginalBytesAsync(client, first.Id));
    }

    private static async Task<string?> OriginalBytesAsync(HttpClient admin, Guid id)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>($"/audit?document={id}");
        var receipt = page.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("action").GetString() == AuditActions.Deleted);
        return receipt.GetProperty("details").GetProperty("what").GetProperty("originalBytes").GetString();
    }
}
