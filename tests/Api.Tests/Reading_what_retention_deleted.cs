using System.Net;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>
/// Every endpoint that reads a document by id answers through one lookup (#16): 410 with the same wording where
/// retention deleted the part it reads, while what retention keeps (the document, its runs) stays readable.
/// </summary>
public sealed class Reading_what_retention_deleted(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    private static readonly DateTimeOffset _deleted = new(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/documents/{id}/result")]
    [InlineData("/documents/{id}/extractions/{run}")]
    [InlineData("/review/api/documents/{id}")]
    public async Task Reading_deleted_results_is_410_naming_when(string path)
    {
        var (id, run) = await StoredAsync("results_deleted_at");

        using var response = await api.CreateClient().GetAsync(path.Replace("{id}", $"{id}").Replace("{run}", $"{run}"));

        await AssertGoneAsync(response, $"the text and results of document {id} were deleted at 2026-11-01 08:30:00Z by the retention policy");
    }

    [Theory]
    [InlineData("/documents/{id}/file", "")]
    [InlineData("/documents/{id}/pages/1/image", ", so its pages cannot be shown")]
    public async Task Reading_a_deleted_original_is_410_naming_when(string path, string consequence)
    {
        var (id, _) = await StoredAsync("original_deleted_at");

        using var response = await api.CreateClient().GetAsync(path.Replace("{id}", $"{id}"));

        await AssertGoneAsync(response, $"the original of document {id} was deleted at 2026-11-01 08:30:00Z by the retention policy{consequence}");
    }

    [Theory]
    [InlineData("/documents/{id}")]
    [InlineData("/documents/{id}/extractions")]
    public async Task The_document_and_its_runs_stay_readable(string path)
    {
        var (id, _) = await StoredAsync("results_deleted_at");
        await api.Database.ExecuteAsync("UPDATE documents SET original_deleted_at = $2 WHERE id = $1", id, _deleted);

        using var response = await api.CreateClient().GetAsync(path.Replace("{id}", $"{id}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A succeeded document whose <paramref name="deletedColumn"/> retention set, and its current run.</summary>
    private async Task<(Guid Id, Guid Run)> StoredAsync(string deletedColumn)
    {
        using var client = api.CreateClient();
        var document = await (await client.PostAsync(TestPdfs.Invoice($"retained-{Guid.NewGuid()}"))).DocumentAsync();
        await api.Database.SucceedAsync(document.Id);
        await api.Database.ExecuteAsync($"UPDATE documents SET {deletedColumn} = $2 WHERE id = $1", document.Id, _deleted);
        var run = await api.Database.ScalarAsync<Guid>("SELECT current_extraction_id FROM documents WHERE id = $1", document.Id);
        return (document.Id, run);
    }

    private static async Task AssertGoneAsync(HttpResponseMessage response, string detail)
    {
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("Deleted", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(410, problem.GetProperty("status").GetInt32());
    }
}
