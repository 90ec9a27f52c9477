using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// A type PUT through the API, extracted by a worker process running llama.cpp on the generated model, then the
/// same document extracted again with a built-in type (#6).
/// </summary>
public sealed class Extracting_with_custom_types_and_again(LlmService service) : IClassFixture<LlmService>
{
    [Fact]
    public async Task A_custom_type_gives_a_result_naming_its_version_and_a_re_extraction_keeps_both_newest_first()
    {
        var json = CustomSchemas.Claim();
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        using (var put = await service.Http.PutAsync("/schemas/claim", new StringContent(json, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        var claim = await DocumentSchemaLoader.LoadAsync("claim", Encoding.UTF8.GetBytes(json), GbnfOptions.Default);
        var pdf = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf"));

        var id = await service.UploadAsync(pdf, schema: "claim");
        var first = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        // The generated model invents its values, so a result may come with needs_review (#6); either has a result.
        Assert.True(first.GetProperty("status").GetString() is "succeeded" or "needs_review", service.Logs);
        var result = await service.ResultAsync(id);
        Assert.Equal(("claim", version), (result.GetProperty("schema").GetString(), result.GetProperty("schemaVersion").GetString()));
        Assert.Equal(version, result.GetProperty("dataStatus").GetProperty("details").GetProperty("schema").GetProperty("version").GetString());
        Assert.Empty(claim.Validator.Validate(result.GetProperty("data").GetRawText()));
        var firstRun = result.GetProperty("extractionId").GetGuid();

        using var again = await service.Http.PostAsJsonAsync($"/documents/{id}/extractions", new { schema = "receipt" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var secondRun = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var second = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(second.GetProperty("status").GetString() is "succeeded" or "needs_review", service.Logs);
        var newest = await service.ResultAsync(id);
        Assert.Equal((secondRun, "receipt"), (newest.GetProperty("extractionId").GetGuid(), newest.GetProperty("schema").GetString()));
        var runs = (await service.Http.GetFromJsonAsync<JsonElement>($"/documents/{id}/extractions")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([secondRun, firstRun], runs.Select(r => r.GetProperty("id").GetGuid()).ToList());
        Assert.All(runs, r => Assert.True(r.GetProperty("status").GetString() is "succeeded" or "needs_review", r.ToString()));
        Assert.Equal(version, runs[1].GetProperty("version").GetString());
        var kept = await service.Http.GetFromJsonAsync<JsonElement>(runs[1].GetProperty("link").GetString());
        Assert.Equal(("claim", version), (kept.GetProperty("schema").GetString(), kept.GetProperty("schemaVersion").GetString()));
    }
}

/// <summary>A re-extraction requested while the earlier run is still reading the PDF.</summary>
public sealed class Re_extracting_while_the_earlier_run_is_in_flight : IAsyncLifetime
{
    private readonly BareService _service = new();

    // Five seconds a document: time to ask for a re-extraction while the first run is in the text stage.
    private readonly SlowPdftotext _slowTool = new(seconds: 5);

    public Task InitializeAsync() => _service.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _slowTool.Dispose();
    }

    [Fact]
    public async Task The_earlier_run_keeps_its_result_and_the_document_ends_with_the_newer_one()
    {
        await _service.StartApiAsync();
        _service.StartWorker(_slowTool.Settings);
        var id = await _service.UploadAsync(TestPdfs.Invoice($"in-flight-{Guid.NewGuid()}"), schema: "invoice");
        await Eventually.WaitAsync(
            async () => await _service.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1 AND status = 'processing'", id),
            TimeSpan.FromSeconds(60), "the worker to start processing the document");
        var firstRun = await _service.Database.ScalarAsync<Guid>("SELECT current_extraction_id FROM documents WHERE id = $1", id);

        using var again = await _service.Http.PostAsJsonAsync($"/documents/{id}/extractions", new { schema = "letter" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var secondRun = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var firstOutcome = await Eventually.WaitAsync(
            async () => await _service.Database.ScalarAsync<string>("SELECT status FROM extractions WHERE id = $1 AND status <> 'processing'", firstRun),
            TimeSpan.FromSeconds(60), "the earlier run to finish");
        Assert.True(firstOutcome == "succeeded", _service.Logs);
        var document = await _service.WaitForTerminalAsync(id);

        Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
        Assert.Equal("letter", document.GetProperty("schema").GetString());
        var newest = await _service.ResultAsync(id);
        Assert.Equal((secondRun, "letter"), (newest.GetProperty("extractionId").GetGuid(), newest.GetProperty("schema").GetString()));
        var earlier = await _service.Http.GetFromJsonAsync<JsonElement>($"/documents/{id}/extractions/{firstRun}");
        Assert.Equal("invoice", earlier.GetProperty("schema").GetString());
        Assert.Equal(2L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
    }
}
