using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

public sealed class Checking_rules_on_extracted_data : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;

    private static JsonObject SampleInvoice() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "tests", "Schemas.Tests", "Samples", "invoice.json")))!.AsObject();

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_consistent_invoice_gets_every_rule_in_its_result()
    {
        _harness.Answer.Json = SampleInvoice().ToJsonString();

        var id = await _harness.ProcessAsync(TestPdfs.Invoice("rules-pass"), "invoice");

        using var result = await _harness.ResultOfAsync(id);
        var rules = result.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(7, rules.Count);
        Assert.Equal(6, rules.Count(r => r.GetProperty("outcome").GetString() == "pass"));
        var skipped = Assert.Single(rules, r => r.GetProperty("outcome").GetString() == "skipped");
        Assert.Equal("buyer VAT number", skipped.GetProperty("name").GetString());
        Assert.Equal("succeeded", await _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id));
    }

    [Fact]
    public async Task A_total_that_does_not_add_up_is_a_failed_rule_with_its_numbers_and_the_document_is_kept()
    {
        var invoice = SampleInvoice();
        invoice["total"] = 1400.00m;
        _harness.Answer.Json = invoice.ToJsonString();

        var id = await _harness.ProcessAsync(TestPdfs.Invoice("rules-fail"), "invoice");

        using var result = await _harness.ResultOfAsync(id);
        var failed = Assert.Single(result.RootElement.GetProperty("rules").EnumerateArray(),
            r => r.GetProperty("outcome").GetString() == "fail");
        Assert.Equal("subtotal plus tax is the total", failed.GetProperty("name").GetString());
        Assert.Equal("sum-of", failed.GetProperty("kind").GetString());
        Assert.Equal(1382.03m, failed.GetProperty("values").GetProperty("sum").GetDecimal());
        Assert.Equal(1400.00m, failed.GetProperty("values").GetProperty("expected").GetDecimal());
        Assert.Equal(-17.97m, failed.GetProperty("values").GetProperty("difference").GetDecimal());
        Assert.Equal(1400.00m, result.RootElement.GetProperty("data").GetProperty("total").GetDecimal());
        // A failed rule keeps the data but puts the document in the review queue, saying which rule (#6).
        Assert.Equal("needs_review", await _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id));
        Assert.Contains(result.RootElement.GetProperty("review").GetProperty("reasons").EnumerateArray(),
            r => r.GetProperty("kind").GetString() == "failed-rule" && r.GetProperty("detail").GetString()!.Length > 0);
    }

    [Fact]
    public async Task A_type_without_rules_gets_an_empty_list()
    {
        _harness.Answer.Json = File.ReadAllText(Path.Combine(Repository.Root, "tests", "Schemas.Tests", "Samples", "letter.json"));

        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A letter"), "letter");

        using var result = await _harness.ResultOfAsync(id);
        Assert.Equal(JsonValueKind.Array, result.RootElement.GetProperty("rules").ValueKind);
        Assert.Equal(0, result.RootElement.GetProperty("rules").GetArrayLength());
    }
}
