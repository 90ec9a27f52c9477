using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Documents;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

public sealed class Reading_documents(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task The_result_is_409_with_the_status_before_it_exists()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice("early"))).DocumentAsync();

        using var response = await client.GetAsync(document.Links.Result);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("it is queued", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/result")]
    [InlineData("/file")]
    public async Task An_unknown_id_is_404_problem(string suffix)
    {
        using var client = api.CreateClient();
        using var response = await client.GetAsync($"/documents/{Guid.NewGuid()}{suffix}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await response.ProblemAsync();
    }

    [Fact]
    public async Task The_list_filters_by_status_and_pages()
    {
        using var client = api.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync(TestPdfs.Invoice($"list-{i}-{Guid.NewGuid()}"));
        }

        var first = await client.GetFromJsonAsync<DocumentPage>("/documents?status=queued&pageSize=2");
        Assert.NotNull(first);
        Assert.Equal(2, first.Items.Count);
        Assert.All(first.Items, d => Assert.Equal("queued", d.Status));
        Assert.True(first.Total >= 3);
        Assert.NotNull(first.Next);
        var second = await client.GetFromJsonAsync<DocumentPage>(first.Next);
        Assert.NotNull(second);
        Assert.Empty(second.Items.Select(d => d.Id).Intersect(first.Items.Select(d => d.Id)));

        var none = await client.GetFromJsonAsync<DocumentPage>("/documents?status=succeeded");
        Assert.Empty(none!.Items);
    }

    [Fact]
    public async Task A_document_that_needs_review_has_its_result_and_is_in_the_review_queue()
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"review-{Guid.NewGuid()}"))).DocumentAsync();
        await using (var db = api.Database.CreateContext())
        {
            // What the worker stores when a value is unsupported (#6).
            var stored = await db.Documents.SingleAsync(d => d.Id == document.Id);
            stored.StartProcessing(null, DateTimeOffset.UtcNow);
            stored.Complete(null, needsReview: true, "invoice", null, DateTimeOffset.UtcNow);
            db.Results.Add(new ExtractionResult
            {
                Id = stored.CurrentExtractionId,
                DocumentId = stored.Id,
                SchemaName = "invoice",
                Content = JsonDocument.Parse("""{"data":{"total":9.5},"review":{"needed":true,"reasons":[{"kind":"unsupported","pointer":"/total"}]}}"""),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var result = await client.GetFromJsonAsync<JsonElement>(document.Links.Result);
        var queue = await client.GetFromJsonAsync<DocumentPage>("/documents?status=needs_review");

        Assert.Equal("/total", result.GetProperty("review").GetProperty("reasons")[0].GetProperty("pointer").GetString());
        Assert.Equal("needs_review", (await client.GetFromJsonAsync<JsonElement>($"/documents/{document.Id}")).GetProperty("status").GetString());
        Assert.Equal([document.Id], queue!.Items.Select(d => d.Id));
    }

    [Fact]
    public async Task An_unknown_status_filter_is_400()
    {
        using var client = api.CreateClient();
        using var response = await client.GetAsync("/documents?status=done");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("queued, processing, succeeded, failed, needs_review", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
