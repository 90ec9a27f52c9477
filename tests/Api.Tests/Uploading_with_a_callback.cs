using System.Net;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Uploading_with_a_callback(WebhookApiFixture api) : IClassFixture<WebhookApiFixture>
{
    [Fact]
    public async Task A_callback_to_an_allowed_host_is_kept_with_the_document()
    {
        using var client = api.CreateClient();

        using var response = await client.SendAsync(Upload(TestPdfs.Invoice("callback-ok"), "https://hooks.example.test/docextract?x=1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.DocumentAsync();
        Assert.Equal("https://hooks.example.test/docextract?x=1",
            await api.Database.ScalarAsync<string>("SELECT callback_url FROM documents WHERE id = $1", document.Id));
    }

    [Theory]
    [InlineData("http://attacker.example.com/steal", "http://attacker.example.com:80 is not on the callback allow-list (127.0.0.1:")]
    [InlineData("http://hooks.example.test.attacker.example.com/", "http://hooks.example.test.attacker.example.com:80 is not on the callback allow-list")]
    [InlineData("http://hooks.example.test:5432/", "http://hooks.example.test:5432 is not on the callback allow-list")]
    [InlineData("https://hooks.example.test:8443/", "https://hooks.example.test:8443 is not on the callback allow-list")]
    [InlineData("http://127.0.0.1:5672/", "http://127.0.0.1:5672 is not on the callback allow-list")]
    [InlineData("http://127.0.0.1/", "http://127.0.0.1:80 is not on the callback allow-list")]
    [InlineData("ftp://hooks.example.test/x", "is not an absolute http or https URL")]
    [InlineData("/relative/path", "is not an absolute http or https URL")]
    [InlineData("http://user:pw@hooks.example.test/", "must not carry credentials")]
    public async Task A_callback_that_may_not_be_called_is_refused_and_nothing_is_stored(string callback, string reason)
    {
        using var client = api.CreateClient();
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents");

        using var response = await client.SendAsync(Upload(TestPdfs.Invoice("callback-" + callback), callback));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    private static HttpRequestMessage Upload(byte[] pdf, string callback)
    {
        var form = Uploads.Form(pdf, schema: "invoice");
        form.Add(new StringContent(callback), "callback");
        return new HttpRequestMessage(HttpMethod.Post, "/documents") { Content = form };
    }
}

public sealed class Uploading_with_a_callback_while_none_are_allowed(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Is_refused_saying_the_allow_list_is_empty()
    {
        using var client = api.CreateClient();
        var form = Uploads.Form(TestPdfs.Invoice("callback-off"), schema: "invoice");
        form.Add(new StringContent("http://127.0.0.1:9/hook"), "callback");

        using var response = await client.PostAsync("/documents", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("callbacks are off: http://127.0.0.1:9 is not on the allow-list, which is empty; an operator can add it to Webhooks:AllowedHosts",
            (await response.ProblemAsync()).GetProperty("detail").GetString());
    }
}
