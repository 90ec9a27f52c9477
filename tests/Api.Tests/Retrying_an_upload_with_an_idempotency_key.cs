using System.Net;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;
using Microsoft.Extensions.Logging;

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
        // The losers are ordinary replays, logged as information without a stack trace, never as errors.
        Assert.Equal(7, api.Logs.Lines.Count(l => l.Message.Contains("Idempotency-Key seen before", StringComparison.Ordinal) &&
            l.Message.Contains(ids[0].Id.ToString(), StringComparison.Ordinal) && l.Level == LogLevel.Information && l.Exception is null));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Level >= LogLevel.Warning && l.Exception is not null);
    }

    [Fact]
    public async Task Another_key_of_the_same_tenant_sending_the_same_key_gets_a_document_of_its_own()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await api.CreateClientAsync("scoped", ApiRoles.Submit);
        using var second = await api.CreateClientAsync("scoped", ApiRoles.Submit);
        var firsts = await (await first.PostAsync(TestPdfs.Invoice($"first-{key}"), key)).DocumentAsync();

        using var sameBytes = await second.PostAsync(TestPdfs.Invoice($"first-{key}"), key);
        using var otherBytes = await second.PostAsync(TestPdfs.Invoice($"second-{key}"), Guid.NewGuid().ToString());
        using var otherBytesSameKey = await second.PostAsync(TestPdfs.Invoice($"third-{key}"), key);

        Assert.Equal(HttpStatusCode.Accepted, sameBytes.StatusCode);
        var seconds = await sameBytes.DocumentAsync();
        Assert.NotEqual(firsts.Id, seconds.Id);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(seconds.Links.Self)).StatusCode);
        // Within the second key the usual rules hold: the same key with other bytes is a conflict naming its own document.
        Assert.Equal(HttpStatusCode.Conflict, otherBytesSameKey.StatusCode);
        var detail = (await otherBytesSameKey.ProblemAsync()).GetProperty("detail").GetString();
        Assert.Contains(seconds.Id.ToString(), detail, StringComparison.Ordinal);
        Assert.DoesNotContain(firsts.Id.ToString(), detail, StringComparison.Ordinal);
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE idempotency_key = $1", key));
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
