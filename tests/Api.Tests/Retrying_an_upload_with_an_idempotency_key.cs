using System.Net;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Retrying_an_upload_with_an_idempotency_key(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Returns_the_same_document_instead_of_a_second_one()
    {
        var key = Guid.NewGuid().ToString();
        var pdf = TestPdfs.Invoice(key);
        using var client = api.CreateClient();

        var first = await client.PostAsync(pdf, key);
        var retry = await client.PostAsync(pdf, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((await first.DocumentAsync()).Id, (await retry.DocumentAsync()).Id);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE idempotency_key = $1", key));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox o JOIN documents d ON o.payload->>'DocumentId' = d.id::text WHERE d.idempotency_key = $1", key));
    }

    [Fact]
    public async Task Creates_one_document_when_retries_race()
    {
        var key = Guid.NewGuid().ToString();
        var pdf = TestPdfs.Invoice(key);
        using var client = api.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync(pdf, key)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, r.StatusCode.ToString()));
        var ids = await Task.WhenAll(responses.Select(r => r.DocumentAsync()));
        Assert.Single(ids.Select(d => d.Id).Distinct());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task Refuses_the_key_with_a_different_file()
    {
        var key = Guid.NewGuid().ToString();
        using var client = api.CreateClient();
        await client.PostAsync(TestPdfs.Invoice("first"), key);

        using var response = await client.PostAsync(TestPdfs.Invoice("second"), key);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("different file", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
