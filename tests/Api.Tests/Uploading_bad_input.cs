using System.Net;
using System.Text;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>Each refusal is problem+json with a reason a person can act on, and stores nothing at all.</summary>
public sealed class Uploading_bad_input(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public Task An_empty_file_is_refused() =>
        AssertRefusedAsync(client => client.PostAsync([]), HttpStatusCode.BadRequest, "empty");

    [Fact]
    public Task A_zip_named_pdf_is_refused_by_its_magic_bytes() =>
        AssertRefusedAsync(client => client.PostAsync([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 1, 2, 3], fileName: "invoice.pdf"),
            HttpStatusCode.UnsupportedMediaType, "not a PDF: it starts with 'PK\\x03\\x04");

    [Fact]
    public Task A_text_file_is_refused() =>
        AssertRefusedAsync(client => client.PostAsync(Encoding.ASCII.GetBytes("hello, this is not a pdf")),
            HttpStatusCode.UnsupportedMediaType, "starts with 'hello, t'");

    [Fact]
    public Task A_file_over_the_size_limit_is_refused() =>
        AssertRefusedAsync(client => client.PostAsync(PaddedPdf(NoRelayApiFixture.SmallUploadLimit + 1)),
            HttpStatusCode.RequestEntityTooLarge, "limit");

    [Fact]
    public Task An_unknown_schema_is_refused_naming_it() =>
        AssertRefusedAsync(client => client.PostAsync(TestPdfs.Invoice("schema"), schema: "horoscope"),
            HttpStatusCode.BadRequest, "unknown schema 'horoscope': use 'auto' or one of bank-statement, contract, invoice, letter, receipt");

    [Fact]
    public Task A_request_without_a_file_field_is_refused() =>
        AssertRefusedAsync(async client =>
        {
            using var form = new MultipartFormDataContent { { new StringContent("invoice"), "schema" } };
            return await client.PostAsync("/documents", form);
        }, HttpStatusCode.BadRequest, "field named 'file'");

    [Fact]
    public Task A_body_that_is_not_multipart_is_refused() =>
        AssertRefusedAsync(client => client.PostAsync("/documents", new ByteArrayContent(TestPdfs.Invoice("raw"))),
            HttpStatusCode.BadRequest, "multipart/form-data");

    private async Task AssertRefusedAsync(Func<HttpClient, Task<HttpResponseMessage>> send, HttpStatusCode expected, string detailPart)
    {
        using var client = api.CreateClient();
        var documentsBefore = await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents");
        var filesBefore = await api.Database.ScalarAsync<long>("SELECT count(*) FROM files");

        using var response = await send(client);

        Assert.Equal(expected, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(documentsBefore, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
        Assert.Equal(filesBefore, await api.Database.ScalarAsync<long>("SELECT count(*) FROM files"));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    private static byte[] PaddedPdf(long size)
    {
        var pdf = TestPdfs.Invoice("big");
        var padded = new byte[size];
        pdf.CopyTo(padded, 0);
        return padded;
    }
}
