using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

/// <summary>Upload to JSON through a worker process that runs llama.cpp on a generated model.</summary>
public sealed class Extracting_data_end_to_end(LlmService service) : IClassFixture<LlmService>
{
    private static readonly SchemaCatalog _catalog = new(new SchemaCatalogOptions { Folder = Path.Combine(Repository.Root, "schemas") });

    // The generated model's values are noise the sample does not print: every run of it needs review (#6).
    [Fact]
    public async Task The_result_holds_data_valid_against_the_requested_type_and_how_it_was_made()
    {
        var id = await service.UploadAsync(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf")), schema: "receipt");

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "needs_review", service.Logs);
        var result = await service.ResultAsync(id);
        var receipt = (await _catalog.FindAsync("receipt"))!;
        Assert.Equal("receipt", result.GetProperty("schema").GetString());
        Assert.Empty(receipt.Validator.Validate(result.GetProperty("data").GetRawText()));
        var details = result.GetProperty("dataStatus").GetProperty("details");
        Assert.Equal(receipt.Version, details.GetProperty("schema").GetProperty("version").GetString());
        Assert.Equal(64, details.GetProperty("model").GetProperty("sha256").GetString()!.Length);
        Assert.True(result.GetProperty("timings").GetProperty("llmMs").GetDouble() > 0);
    }

    [Fact]
    public async Task The_result_says_how_far_to_trust_each_value_and_the_document_waits_in_the_review_queue()
    {
        var id = await service.UploadAsync(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf")), schema: "invoice");

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "needs_review", service.Logs);
        var result = await service.ResultAsync(id);
        var data = result.GetProperty("data");
        var fields = result.GetProperty("fields").EnumerateArray().ToList();
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            Assert.InRange(field.GetProperty("confidence").GetDouble(), 0, 1);
            var pointer = field.GetProperty("pointer").GetString()!;
            Assert.Equal(Resolve(data, pointer).GetRawText(), field.GetProperty("value").GetRawText());
        }
        var confidence = result.GetProperty("confidence");
        Assert.Equal(fields.Average(f => f.GetProperty("confidence").GetDouble()), confidence.GetProperty("mean").GetDouble(), 3);
        Assert.Equal(fields.Min(f => f.GetProperty("confidence").GetDouble()), confidence.GetProperty("lowest").GetProperty("confidence").GetDouble());
        var review = result.GetProperty("review");
        Assert.True(review.GetProperty("needed").GetBoolean());
        Assert.NotEmpty(review.GetProperty("reasons").EnumerateArray());
        var queue = await service.Http.GetFromJsonAsync<JsonElement>("/documents?status=needs_review&pageSize=200");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);
    }

    // The worker has a model loaded, and still no token is spent on an e-invoice (#12).
    [Fact]
    public async Task An_e_invoice_uploaded_as_auto_is_read_from_its_xml_attachment_at_zero_tokens()
    {
        var id = await service.UploadAsync(TestEInvoices.Hybrid(), schema: "auto");

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
        var result = await service.ResultAsync(id);
        Assert.Equal(("invoice", "embedded-xml"), (result.GetProperty("schema").GetString(), result.GetProperty("route").GetString()));
        var tokens = result.GetProperty("dataStatus").GetProperty("details").GetProperty("tokens");
        Assert.Equal((0, 0), (tokens.GetProperty("prompt").GetInt32(), tokens.GetProperty("generated").GetInt32()));
        Assert.Equal(529.87m, result.GetProperty("data").GetProperty("total").GetDecimal());
        Assert.All(result.GetProperty("fields").EnumerateArray(),
            f => Assert.Equal("factur-x.xml", f.GetProperty("source").GetProperty("attachment").GetString()));
    }

    private static JsonElement Resolve(JsonElement root, string pointer) =>
        pointer.Split('/').Skip(1).Aggregate(root, (e, part) =>
            e.ValueKind == JsonValueKind.Array ? e[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : e.GetProperty(part.Replace("~1", "/").Replace("~0", "~")));

    [Fact]
    public async Task An_upload_without_a_type_is_classified_first()
    {
        var id = await service.UploadAsync(await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "samples", "sample-invoice.pdf")));

        var document = await service.WaitForTerminalAsync(id, TimeSpan.FromMinutes(3));

        Assert.True(document.GetProperty("status").GetString() == "needs_review", service.Logs);
        var result = await service.ResultAsync(id);
        var chosen = result.GetProperty("schema").GetString()!;
        Assert.Equal("auto", result.GetProperty("requestedSchema").GetString());
        Assert.NotNull(await _catalog.FindAsync(chosen));
        Assert.Empty((await _catalog.FindAsync(chosen))!.Validator.Validate(result.GetProperty("data").GetRawText()));

        // The usage ledger (#12) holds the tokens the result reports, the classifier's and the extraction's.
        var details = result.GetProperty("dataStatus").GetProperty("details");
        int Reported(string kind) => details.GetProperty("tokens").GetProperty(kind).GetInt32()
            + details.GetProperty("classification").GetProperty("tokens").GetProperty(kind).GetInt32();
        Assert.Equal($"llm 0 {chosen} {Reported("promptEvaluated")} {Reported("promptReused")} {Reported("generated")}",
            await service.Database.ScalarAsync<string>(
                "SELECT concat_ws(' ', route, tier, document_type, prompt_tokens_evaluated, prompt_tokens_reused, generated_tokens) FROM usage WHERE document_id = $1", id));
        Assert.True(Reported("generated") > 0);
    }
}
