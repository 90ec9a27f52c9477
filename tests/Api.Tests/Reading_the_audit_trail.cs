using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Reading_the_audit_trail(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Shows_an_admin_who_uploaded_read_and_deleted_a_document()
    {
        var key = await DocExtract.TestSupport.Servers.TestKeys.CreateAsync(api.Database.ConnectionString, "ledger", ApiRoles.Admin);
        using var admin = api.CreateClient(key);
        var pdf = TestPdfs.Invoice($"audited-{Guid.NewGuid()}");
        var document = await (await admin.PostAsync(pdf)).DocumentAsync();
        await api.Database.SucceedAsync(document.Id);
        await admin.GetByteArrayAsync(document.Links.File);
        await admin.GetStringAsync(document.Links.Result);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(document.Links.Self)).StatusCode);

        var page = await admin.GetFromJsonAsync<JsonElement>($"/audit?document={document.Id}");

        var records = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([AuditActions.Upload, AuditActions.ReadFile, AuditActions.ReadResult, AuditActions.Deleted],
            records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r =>
        {
            Assert.Equal("ledger", r.GetProperty("tenant").GetString());
            Assert.Equal(key[3..15], r.GetProperty("keyId").GetString());
            // The remote address is checked end to end (Managing_keys_on_the_command_line): TestServer has none.
        });
        var receipt = records[^1].GetProperty("details");
        Assert.Equal(document.Sha256, receipt.GetProperty("sha256").GetString());
        Assert.Equal("deleted", receipt.GetProperty("what").GetProperty("originalBytes").GetString());
        Assert.Contains("extracted text", receipt.GetProperty("what").GetProperty("deleted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal($"DELETE /documents/{document.Id}", receipt.GetProperty("reason").GetProperty("request").GetString());
    }

    [Fact]
    public async Task A_read_key_may_not()
    {
        using var reader = await api.CreateClientAsync("ledger", ApiRoles.Read);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/audit")).StatusCode);
    }
}
