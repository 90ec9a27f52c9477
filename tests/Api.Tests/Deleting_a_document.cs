using System.Net;
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
}
