using System.Text;
using System.Text.Json;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// The embedded-XML route (#12) through the worker's processing path, on PostgreSQL: a hybrid e-invoice made here
/// (<see cref="TestEInvoices"/>) is an invoice read from its attachment without asking the LLM stage, whose stand-in
/// counts its calls.
/// </summary>
public sealed class Processing_an_e_invoice : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task With_auto_its_xml_attachment_makes_it_an_invoice_at_zero_tokens_without_the_model()
    {
        var id = await _harness.ProcessAsync(TestEInvoices.Hybrid(), "auto");

        using var result = await _harness.ResultOfAsync(id);
        var root = result.RootElement;
        Assert.Equal(0, _harness.Answer.Calls);
        Assert.Equal("succeeded", await StatusAsync(id));
        Assert.Equal("embedded-xml", root.GetProperty("route").GetString());
        Assert.Equal("invoice", root.GetProperty("schema").GetString());
        Assert.Equal(TestEInvoices.Number, root.GetProperty("data").GetProperty("invoice_number").GetString());
        Assert.Equal(529.87m, root.GetProperty("data").GetProperty("total").GetDecimal());
        var tokens = root.GetProperty("dataStatus").GetProperty("details").GetProperty("tokens");
        Assert.Equal((0, 0), (tokens.GetProperty("prompt").GetInt32(), tokens.GetProperty("generated").GetInt32()));
        Assert.Equal("factur-x.xml", root.GetProperty("embeddedInvoice").GetProperty("used").GetString());
        Assert.All(root.GetProperty("rules").EnumerateArray(), r => Assert.NotEqual("fail", r.GetProperty("outcome").GetString()));

        var total = Field(root, "/total");
        Assert.Equal("embedded-xml", total.GetProperty("source").GetProperty("route").GetString());
        Assert.Equal("factur-x.xml", total.GetProperty("source").GetProperty("attachment").GetString());
        Assert.Equal("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/" +
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount", total.GetProperty("source").GetProperty("path").GetString());
        Assert.Equal("529,87", total.GetProperty("evidence").GetProperty("quote").GetString());
        Assert.Equal("02.03.2026", Field(root, "/issue_date").GetProperty("evidence").GetProperty("quote").GetString());
    }

    // The same invoice in both syntaxes EN 16931 allows gives the same data.
    [Fact]
    public async Task Its_ubl_twin_gives_the_same_data_as_its_cii()
    {
        var cii = await _harness.ResultOfAsync(await _harness.ProcessAsync(TestEInvoices.Hybrid(), "auto"));
        var ubl = await _harness.ResultOfAsync(await _harness.ProcessAsync(TestEInvoices.HybridUbl(), "auto"));

        Assert.Equal(0, _harness.Answer.Calls);
        Assert.Equal("UBL", ubl.RootElement.GetProperty("embeddedInvoice").GetProperty("syntax").GetString());
        Assert.Equal(cii.RootElement.GetProperty("data").GetRawText(), ubl.RootElement.GetProperty("data").GetRawText());
        Assert.Equal("/ubl:Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
            Field(ubl.RootElement, "/total").GetProperty("source").GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_total_the_page_prints_otherwise_sends_it_to_review_naming_both_values()
    {
        var id = await _harness.ProcessAsync(TestEInvoices.Hybrid(printedTotal: "592,87"), "invoice");

        using var result = await _harness.ResultOfAsync(id);
        Assert.Equal(0, _harness.Answer.Calls);
        Assert.Equal("needs_review", await StatusAsync(id));
        var reason = Assert.Single(result.RootElement.GetProperty("review").GetProperty("reasons").EnumerateArray());
        Assert.Equal("contradicted", reason.GetProperty("kind").GetString());
        Assert.Equal("/total", reason.GetProperty("pointer").GetString());
        var detail = reason.GetProperty("detail").GetString()!;
        Assert.StartsWith("the attachment factur-x.xml gives /total as 529.87 (/rsm:CrossIndustryInvoice/", detail);
        Assert.EndsWith("but page 1 shows 592,87", detail);
        // The data stays what the XML says; the reviewer decides.
        Assert.Equal(529.87m, result.RootElement.GetProperty("data").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task The_values_the_page_must_show_are_a_setting()
    {
        await using var harness = await ProcessorHarness.StartAsync(new Dictionary<string, string?> { ["EmbeddedInvoices:PageMustShow"] = "/invoice_number" });

        var id = await harness.ProcessAsync(TestEInvoices.Hybrid(printedTotal: "592,87"), "auto");

        Assert.Equal("succeeded", await harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id));
        Assert.Equal(0, harness.Answer.Calls);
    }

    [Theory]
    [InlineData("<a><b></a>", "not XML that may be read")]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><lolz>&lol;</lolz>", "not XML that may be read (For security reasons DTD is prohibited")]
    [InlineData("<Order xmlns=\"urn:example:order\"/>", "XML whose root is 'Order' in 'urn:example:order', not a CII or UBL invoice")]
    [InlineData("<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"><rsm:ExchangedDocument>" +
        "<IssueDateTime><DateTimeString format=\"102\">2026-03-02</DateTimeString></IssueDateTime></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>",
        "a malformed invoice (/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/IssueDateTime/DateTimeString is '2026-03-02', not a date in format 102")]
    public async Task An_attachment_that_is_no_invoice_or_fails_to_parse_is_noted_and_the_model_reads_the_document(string xml, string note)
    {
        var pdf = TestPdfAttachments.WithAttachments([TestEInvoices.Page("529,87")], ("factur-x.xml", Encoding.UTF8.GetBytes(xml)));

        var id = await _harness.ProcessAsync(pdf, "auto");

        using var result = await _harness.ResultOfAsync(id);
        Assert.Equal(1, _harness.Answer.Calls);
        Assert.Equal("llm", result.RootElement.GetProperty("route").GetString());
        var report = result.RootElement.GetProperty("embeddedInvoice");
        Assert.Equal(JsonValueKind.Null, report.GetProperty("used").ValueKind);
        var written = Assert.Single(report.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.StartsWith($"factur-x.xml: {note}", written);
        Assert.EndsWith("; ignored", written);
    }

    [Fact]
    public async Task An_attachment_over_the_size_limit_is_not_read_and_the_note_names_the_setting()
    {
        await using var harness = await ProcessorHarness.StartAsync(new Dictionary<string, string?> { ["EmbeddedInvoices:MaxAttachmentBytes"] = "1000" });

        var id = await harness.ProcessAsync(TestEInvoices.Hybrid(), "auto");

        using var result = await harness.ResultOfAsync(id);
        Assert.Equal(1, harness.Answer.Calls);
        Assert.Equal("factur-x.xml: larger than 1000 bytes (EmbeddedInvoices:MaxAttachmentBytes); ignored",
            Assert.Single(result.RootElement.GetProperty("embeddedInvoice").GetProperty("notes").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Asked_for_another_type_it_is_not_looked_at()
    {
        var id = await _harness.ProcessAsync(TestEInvoices.Hybrid(), "letter");

        using var result = await _harness.ResultOfAsync(id);
        Assert.Equal(1, _harness.Answer.Calls);
        Assert.Equal("llm", result.RootElement.GetProperty("route").GetString());
        Assert.Equal(JsonValueKind.Null, result.RootElement.GetProperty("embeddedInvoice").ValueKind);
    }

    private Task<string?> StatusAsync(Guid id) => _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id);

    private static JsonElement Field(JsonElement root, string pointer) =>
        root.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("pointer").GetString() == pointer);
}
