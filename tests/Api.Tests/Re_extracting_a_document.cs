using System.Net;
using System.Net.Http.Json;
using DocExtract.Api.Documents;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>No worker runs here: what is checked is what the API stores and queues.</summary>
public sealed class Re_extracting_a_document(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Queues_a_new_extraction_through_the_outbox_and_keeps_the_earlier_one()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"again-{Guid.NewGuid()}"), schema: "invoice")).DocumentAsync();

        using var response = await client.PostAsJsonAsync($"/documents/{document.Id}/extractions", new { schema = "receipt" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<ExtractionResponse>();
        Assert.NotNull(run);
        Assert.Equal($"/documents/{document.Id}/extractions/{run.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(("receipt", "queued"), (run.RequestedSchema, run.Status));
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString()));
        Assert.Equal("receipt", await api.Database.ScalarAsync<string>("SELECT payload->>'Schema' FROM outbox WHERE message_id = $1", run.Id));

        var list = await client.GetFromJsonAsync<ExtractionList>($"/documents/{document.Id}/extractions");
        Assert.Equal(2, list!.Items.Count);
        Assert.Equal(run.Id, list.Items[0].Id);
        var earlier = list.Items[1];
        Assert.Equal(("invoice", "failed"), (earlier.RequestedSchema, earlier.Status));
        Assert.Equal($"replaced by extraction {run.Id} before it started", earlier.FailureReason);
        Assert.True(list.Items[0].CreatedAt >= earlier.CreatedAt);

        var now = await client.GetFromJsonAsync<DocumentResponse>($"/documents/{document.Id}");
        Assert.Equal(("queued", "receipt"), (now!.Status, now.Schema));
    }

    [Fact]
    public async Task An_extraction_without_a_result_yet_is_409_with_its_status()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"pending-{Guid.NewGuid()}"))).DocumentAsync();
        var run = (await client.GetFromJsonAsync<ExtractionList>($"/documents/{document.Id}/extractions"))!.Items.Single();

        using var response = await client.GetAsync(run.Link);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("it is queued", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("auto", run.RequestedSchema);
    }

    [Theory]
    [InlineData("{\"schema\":\"horoscope\"}", "unknown schema 'horoscope': use 'auto' or one of bank-statement")]
    [InlineData("{\"schema\":\"invoice\",\"version\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", "the built-in type 'invoice' is at version")]
    [InlineData("{\"schema\":\"auto\",\"version\":\"abc\"}", "'auto' has no version")]
    public async Task A_bad_request_is_400_and_queues_nothing(string body, string expected)
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"bad-{Guid.NewGuid()}"))).DocumentAsync();

        using var response = await client.PostAsync($"/documents/{document.Id}/extractions",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM extractions WHERE document_id = $1", document.Id));
    }

    [Fact]
    public async Task An_unknown_document_is_404()
    {
        using var client = api.CreateClient();

        using var post = await client.PostAsJsonAsync($"/documents/{Guid.NewGuid()}/extractions", new { schema = "invoice" });
        using var list = await client.GetAsync($"/documents/{Guid.NewGuid()}/extractions");

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        await post.ProblemAsync();
    }

    [Fact]
    public async Task Deleting_the_document_deletes_its_extractions()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"gone-{Guid.NewGuid()}"))).DocumentAsync();
        await client.PostAsJsonAsync($"/documents/{document.Id}/extractions", new { schema = "letter" });

        await client.DeleteAsync($"/documents/{document.Id}");

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM extractions WHERE document_id = $1", document.Id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString()));
    }
}
