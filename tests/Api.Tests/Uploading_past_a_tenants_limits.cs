using System.Net;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Uploading_past_a_tenants_limits(LimitedApiFixture api) : IClassFixture<LimitedApiFixture>
{
    [Fact]
    public async Task One_more_than_the_rate_is_429_with_retry_after_and_stores_nothing()
    {
        using var slow = await api.CreateClientAsync("slow", ApiRoles.Submit);
        using var other = await api.CreateClientAsync("other", ApiRoles.Submit);
        for (var i = 0; i < LimitedApiFixture.SlowPerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await slow.PostAsync(TestPdfs.Invoice($"slow-{i}-{Guid.NewGuid()}"))).StatusCode);
        }

        using var refused = await slow.PostAsync(TestPdfs.Invoice($"slow-over-{Guid.NewGuid()}"));
        using var otherTenant = await other.PostAsync(TestPdfs.Invoice($"other-{Guid.NewGuid()}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Contains("tenant 'slow' may upload 2 documents a minute", (await refused.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((long)LimitedApiFixture.SlowPerMinute, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE tenant_id = 'slow'"));
        Assert.Equal(HttpStatusCode.Accepted, otherTenant.StatusCode);
    }

    [Fact]
    public async Task A_file_over_the_tenants_size_limit_is_413_while_others_may_send_it()
    {
        var pdf = Padded(LimitedApiFixture.TinyMaxBytes + 1);
        using var tiny = await api.CreateClientAsync("tiny", ApiRoles.Submit);
        using var other = await api.CreateClientAsync("roomy", ApiRoles.Submit);

        using var refused = await tiny.PostAsync(pdf);
        using var accepted = await other.PostAsync(pdf);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains($"the limit is {LimitedApiFixture.TinyMaxBytes} bytes", (await refused.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE tenant_id = 'tiny'"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    private static byte[] Padded(long size)
    {
        var pdf = TestPdfs.Invoice($"padded-{Guid.NewGuid()}");
        var padded = new byte[Math.Max(size, pdf.Length)];
        pdf.CopyTo(padded, 0);
        return padded;
    }
}
