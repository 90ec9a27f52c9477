using System.Net;
using System.Net.Http.Json;
using DocExtract.Api.Documents;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>The role matrix of docs/security.md, "Keys, roles and tenants".</summary>
public sealed class Calling_with_each_role(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Theory]
    [InlineData(ApiRoles.Read, "POST", "/documents")]
    [InlineData(ApiRoles.Read, "DELETE", "/documents/00000000-0000-0000-0000-000000000001")]
    [InlineData(ApiRoles.Read, "GET", "/audit")]
    [InlineData(ApiRoles.Submit, "DELETE", "/documents/00000000-0000-0000-0000-000000000001")]
    [InlineData(ApiRoles.Submit, "GET", "/audit")]
    [InlineData(ApiRoles.Read, "GET", "/usage")]
    [InlineData(ApiRoles.Submit, "GET", "/usage/report")]
    public async Task A_role_that_may_not_is_403_problem_naming_the_role(string role, string method, string path)
    {
        using var client = await api.CreateClientAsync("roles", role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = Uploads.Form(TestPdfs.Invoice("role"));
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"role '{role}'", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE tenant_id = 'roles'"));
    }

    [Fact]
    public async Task A_submit_key_reads_its_own_uploads_and_no_one_elses()
    {
        var tenant = $"own-{Guid.NewGuid():N}"[..20];
        using var alice = await api.CreateClientAsync(tenant, ApiRoles.Submit);
        using var bob = await api.CreateClientAsync(tenant, ApiRoles.Submit);
        using var reader = await api.CreateClientAsync(tenant, ApiRoles.Read);
        var mine = await (await alice.PostAsync(TestPdfs.Invoice($"alice-{Guid.NewGuid()}"))).DocumentAsync();

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(mine.Links.Self)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(mine.Links.File)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(mine.Links.Self)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(mine.Links.File)).StatusCode);
        Assert.Empty((await bob.GetFromJsonAsync<DocumentPage>("/documents"))!.Items);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(mine.Links.Self)).StatusCode);
        Assert.Equal([mine.Id], (await reader.GetFromJsonAsync<DocumentPage>("/documents"))!.Items.Select(d => d.Id));
    }

    [Fact]
    public async Task An_admin_key_uploads_reads_and_deletes()
    {
        using var admin = await api.CreateClientAsync("roles-admin", ApiRoles.Admin);
        var document = await (await admin.PostAsync(TestPdfs.Invoice($"admin-{Guid.NewGuid()}"))).DocumentAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(document.Links.Self)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/audit?document={document.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(document.Links.Self)).StatusCode);
    }
}
