using DocExtract.Schemas;
using DocExtract.TestSupport;

namespace DocExtract.EndToEnd.Tests;

/// <summary>Upload to JSON through a worker process that runs llama.cpp on a generated model.</summary>
public sealed class Extracting_data_end_to_end(LlmService service) : IClassFixture<LlmService>
{
    private static readonly SchemaCatalog Catalog = new(new SchemaCatalogOptions { Folder = Path.Combine(Repository.Root, "schemas") });

    [Fact]
    public async Task The_result_holds_data_valid_against_the_requested_type_and_how_it_was_made()
    {
        var id = await service.UploadAsync(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf")), schema: "receipt");

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
        var result = await service.ResultAsync(id);
        var receipt = (await Catalog.FindAsync("receipt"))!;
        Assert.Equal("receipt", result.GetProperty("schema").GetString());
        Assert.Empty(receipt.Validator.Validate(result.GetProperty("data").GetRawText()));
        var details = result.GetProperty("dataStatus").GetProperty("details");
        Assert.Equal(receipt.Version, details.GetProperty("schema").GetProperty("version").GetString());
        Assert.Equal(64, details.GetProperty("model").GetProperty("sha256").GetString()!.Length);
        Assert.True(result.GetProperty("timings").GetProperty("llmMs").GetDouble() > 0);
    }

    [Fact]
    public async Task An_upload_without_a_type_is_classified_first()
    {
        var id = await service.UploadAsync(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf")));

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
        var result = await service.ResultAsync(id);
        var chosen = result.GetProperty("schema").GetString()!;
        Assert.Equal("auto", result.GetProperty("requestedSchema").GetString());
        Assert.NotNull(await Catalog.FindAsync(chosen));
        Assert.Empty((await Catalog.FindAsync(chosen))!.Validator.Validate(result.GetProperty("data").GetRawText()));
    }
}
