using System.Net;
using System.Security.Cryptography;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Uploading_a_pdf(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Answers_202_with_a_location_and_keeps_the_bytes_untouched()
    {
        var pdf = await File.ReadAllBytesAsync(Repository.CorpusPdf("inv2data_oyo.pdf"));
        using var client = api.CreateClient();

        using var response = await client.PostAsync(pdf, fileName: "oyo receipt.pdf");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.DocumentAsync();
        Assert.Equal($"/documents/{document.Id}", response.Headers.Location?.ToString());
        Assert.Equal("queued", document.Status);
        Assert.Equal("auto", document.Schema);
        Assert.Equal("oyo receipt.pdf", document.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), document.Sha256);

        var file = await client.GetByteArrayAsync(document.Links.File);
        Assert.Equal(pdf, file);
        var status = await client.GetAsync(document.Links.Self);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task Sends_one_extract_command_to_the_queue_through_the_outbox()
    {
        using var client = api.CreateClient();
        using var response = await client.PostAsync(TestPdfs.Invoice("outbox"));
        var document = await response.DocumentAsync();

        var sent = await Eventually.WaitAsync(
            () => api.Database.ScalarAsync<DateTime?>("SELECT sent_at FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString()),
            TimeSpan.FromSeconds(20), "the relay to mark the command sent");
        Assert.NotEqual(default, sent);
        Assert.True(await api.Queue.MessageCountAsync() >= 1);
    }

    [Fact]
    public async Task Stores_the_same_bytes_once_for_two_documents()
    {
        var pdf = TestPdfs.Invoice($"twice-{Guid.NewGuid()}");
        using var client = api.CreateClient();

        var first = await (await client.PostAsync(pdf)).DocumentAsync();
        var second = await (await client.PostAsync(pdf)).DocumentAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM files WHERE sha256 = $1", first.Sha256));
    }

    [Fact]
    public async Task Accepts_a_known_document_type_whatever_its_case()
    {
        using var client = api.CreateClient();

        using var response = await client.PostAsync(TestPdfs.Invoice("typed"), schema: " Invoice ");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("invoice", (await response.DocumentAsync()).Schema);
    }
}
