using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Persistence.Results;
using DocExtract.Schemas.Rules;

namespace DocExtract.Worker.Tests;

/// <summary>The typed result (#16) reads the rows the untyped record stored, and writes them back with the same names.</summary>
public sealed class Reading_a_stored_result
{
    // A results.content as PostgreSQL returns it (jsonb: keys by length, then bytes), every member the record wrote.
    private const string Stored = """
        {"data": {"total": 631.2, "number": "A-1"}, "text": {"notes": ["page 2 was read with low OCR confidence"], "engine": "pdftotext+tesseract", "elapsedMs": 12.5}, "pages": [{"ocr": null, "text": "Invoice A-1 Total 631.20", "words": null, "number": 1, "source": "text-layer"}, {"ocr": {"dpi": 300, "skew": 0.4, "script": "Latin", "rotated": false, "deskewed": true, "rotation": 0, "languages": "eng", "confidence": 91.5, "lowConfidence": false, "keptTextLayer": false, "rotationConfidence": 12.3}, "text": "Page two", "words": null, "number": 2, "source": "ocr"}], "route": "llm", "rules": [{"kind": "sum", "name": "lines-sum-to-total", "reason": null, "values": {"sum": 631.2, "total": 631.2}, "outcome": "pass"}, {"kind": "date-order", "name": "due-after-issue", "reason": "due 2026-01-01 is before issue 2026-02-01", "values": {}, "outcome": "fail"}], "fields": [{"value": 631.2, "source": null, "pointer": "/total", "evidence": {"end": 24, "page": 1, "boxes": [], "quote": "631.20", "start": 18}, "confidence": 0.97, "unsupported": false}, {"value": "A-1", "source": {"path": "/rsm:ExchangedDocument/ram:ID", "route": "embedded-xml", "attachment": "factur-x.xml"}, "pointer": "/number", "evidence": null, "confidence": 0.55, "unsupported": true}], "review": {"needed": true, "reasons": [{"kind": "low-confidence", "detail": "the model's confidence in /number is 0.55, below Llm:ReviewConfidence 0.6", "pointer": "/number"}, {"kind": "failed-rule", "detail": "rule 'due-after-issue' failed: due 2026-01-01 is before issue 2026-02-01", "pointer": null}]}, "schema": "invoice", "worker": "worker-1/42", "cleaned": [{"pointer": "/pages/0/text", "characters": 1}], "timings": {"llmMs": 100.5, "textMs": 12.5, "totalMs": 120.25, "queuedMs": 3.25}, "windows": [{"pages": [1], "promptTokens": 410, "generatedTokens": 20}, {"pages": [2], "promptTokens": 380, "generatedTokens": 18}], "createdAt": "2026-11-29T17:30:00.123456+00:00", "pageCount": 2, "confidence": {"mean": 0.76, "lowest": {"value": "A-1", "source": {"path": "/rsm:ExchangedDocument/ram:ID", "route": "embedded-xml", "attachment": "factur-x.xml"}, "pointer": "/number", "evidence": null, "confidence": 0.55, "unsupported": true}, "formula": "exp(mean log-probability of the value's tokens)"}, "dataStatus": {"state": "extracted", "reason": null, "details": {"model": {"file": "tiny.gguf"}, "tokens": {"evaluated": 790, "generated": 38}}}, "documentId": "0b5e1a52-6c1e-4d1f-9a0e-2f4d1f6f7a01", "extractionId": "6a7d8e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "schemaVersion": "3f2a", "embeddedInvoice": {"used": null, "notes": ["factur-x.xml is not an invoice: no CII or UBL root"], "syntax": null, "profile": null, "elapsedMs": 4.5, "attachments": ["factur-x.xml"]}, "attempts": null, "requestedSchema": "auto"}
        """;

    [Fact]
    public void Reads_every_member_into_its_type()
    {
        var content = ResultContent.Read(Stored);

        Assert.Equal(Guid.Parse("0b5e1a52-6c1e-4d1f-9a0e-2f4d1f6f7a01"), content.DocumentId);
        Assert.Equal(("auto", "invoice", "3f2a", 2), (content.RequestedSchema, content.Schema, content.SchemaVersion, content.PageCount));
        Assert.Equal(300, content.Pages[1].Ocr?.Dpi);
        Assert.Equal("pdftotext+tesseract", content.Text.Engine);
        Assert.Equal(631.2, content.Data?.GetProperty("total").GetDouble());
        Assert.Equal(790, (int?)content.DataStatus.Details?["tokens"]?["evaluated"]);
        Assert.Equal([RuleResult.Pass, RuleResult.Fail], content.Rules.Select(rule => rule.Outcome));
        Assert.True(content.AnyRuleFailed);
        var evidence = content.Fields[0].Evidence!;
        Assert.Equal((1, 18, 24, "631.20"), (evidence.Page, evidence.Start, evidence.End, evidence.Quote));
        Assert.Empty(evidence.Boxes);
        Assert.Equal("factur-x.xml", content.Fields[1].Source?.Attachment);
        Assert.Equal("/number", content.Confidence?.Lowest?.Pointer);
        Assert.Equal([ReviewReason.LowConfidence, ReviewReason.FailedRule], content.Review.Reasons.Select(reason => reason.Kind));
        Assert.Equal([2], content.Windows?[1].Pages ?? []);
        Assert.Equal(120.25, content.Timings.TotalMs);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 17, 30, 0, TimeSpan.Zero).AddTicks(1234560), content.CreatedAt);
        Assert.Equal(["factur-x.xml"], content.EmbeddedInvoice?.Attachments);
        Assert.Equal(new CleanedText("/pages/0/text", 1), Assert.Single(content.Cleaned ?? []));
    }

    [Fact]
    public void Writes_back_the_same_members_with_the_same_names_and_values()
    {
        using var written = ResultContent.Read(Stored).ToJsonDocument();

        var expected = JsonNode.Parse(Stored);
        var actual = JsonNode.Parse(written.RootElement.GetRawText());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\nwritten  {actual?.ToJsonString()}");
    }

    [Fact]
    public void Reads_a_row_stored_before_later_members_existed_with_their_defaults()
    {
        // As the spine stored it: no trust signals, rules, route, attachment report or cleaning yet.
        var older = JsonNode.Parse(Stored)!.AsObject();
        foreach (var added in new[] { "rules", "fields", "confidence", "review", "windows", "route", "embeddedInvoice", "cleaned", "attempts" })
        {
            older.Remove(added);
        }

        var content = ResultContent.Read(older.ToJsonString());

        Assert.Equal((ResultContent.LlmRoute, null, null, null, null),
            (content.Route, content.EmbeddedInvoice, content.Windows, content.Cleaned, content.Confidence));
        Assert.Equal((0, 0, Review.None), (content.Rules.Count, content.Fields.Count, content.Review));
        Assert.False(content.AnyRuleFailed);
    }

    [Fact]
    public void Refuses_a_row_that_is_not_a_result()
    {
        Assert.Throws<JsonException>(() => ResultContent.Read("null"));
        Assert.Throws<JsonException>(() => ResultContent.Read("""{"pageCount": "two"}"""));
    }
}
