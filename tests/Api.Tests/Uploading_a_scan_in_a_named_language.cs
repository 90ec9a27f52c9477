using System.Net;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>The `language` field names the OCR languages of a scan; the worker reads with them (#14).</summary>
public sealed class Uploading_a_scan_in_a_named_language(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_language_travels_on_the_extract_command()
    {
        using var client = api.CreateClient();
        var form = Uploads.Form(TestPdfs.Invoice("language-fra"), schema: "invoice");
        form.Add(new StringContent(" FRA+eng "), "language");

        using var response = await client.PostAsync("/documents", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.DocumentAsync();
        Assert.Equal("fra+eng", await api.Database.ScalarAsync<string>(
            "SELECT payload->>'Language' FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString()));
    }

    [Fact]
    public async Task A_language_that_is_not_installed_is_refused_naming_the_installed_ones()
    {
        using var client = api.CreateClient();
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents");
        var form = Uploads.Form(TestPdfs.Invoice("language-tlh"), schema: "invoice");
        form.Add(new StringContent("tlh"), "language");

        using var response = await client.PostAsync("/documents", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the OCR language 'tlh' is not installed: use one or more of eng, deu, fra, ita, spa, nld, por, pol, joined by '+'",
            (await response.ProblemAsync()).GetProperty("detail").GetString());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }
}
