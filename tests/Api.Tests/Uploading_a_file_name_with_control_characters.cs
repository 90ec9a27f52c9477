using System.Net;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>
/// A name that reorders or hides its text ("invoice\u202Egpj.exe" shows as "invoiceexe.jpg") is stored and served
/// without its control characters (issue #15); the file's bytes stay exactly as sent.
/// </summary>
public sealed class Uploading_a_file_name_with_control_characters(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Theory]
    [InlineData("invoice\u202Egpj.exe", "invoicegpj.exe")]
    [InlineData("\u2066report\u2069\u200E.pdf", "report.pdf")]
    [InlineData("zero\u200Bwidth\uFEFF.pdf", "zerowidth.pdf")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.pdf", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.pdf")]
    public async Task The_stored_name_and_the_served_name_lose_them_and_the_bytes_do_not(string sent, string expected)
    {
        var pdf = TestPdfs.Invoice($"bidi-{Guid.NewGuid()}");
        using var client = api.CreateClient();

        var document = await (await client.PostAsync(pdf, fileName: sent)).DocumentAsync();
        using var file = await client.GetAsync(document.Links.File);

        Assert.Equal(expected, document.FileName);
        Assert.Equal(expected, await api.Database.ScalarAsync<string>("SELECT file_name FROM documents WHERE id = $1", document.Id));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(expected, file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_name_stored_before_the_fix_is_served_without_them()
    {
        var document = await Seed.DocumentAsync(api.Database, "invoice", DocExtract.Persistence.Entities.DocumentStatus.Succeeded,
            fileName: "invoice\u202Egpj.exe");
        using var client = api.CreateClient();

        using var file = await client.GetAsync($"/documents/{document.Id}/file");

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var disposition = file.Content.Headers.ContentDisposition!;
        Assert.Equal("invoicegpj.exe", disposition.FileNameStar ?? disposition.FileName);
        Assert.DoesNotContain('\u202E', file.Content.Headers.GetValues("Content-Disposition").Single());
    }
}
