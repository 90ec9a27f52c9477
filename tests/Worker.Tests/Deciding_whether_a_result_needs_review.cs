using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Tests;

public sealed class Deciding_whether_a_result_needs_review
{
    private static readonly ReviewPolicy _policy = new(Options.Create(new LlmOptions { ReviewConfidence = 0.6 }));

    private static FieldTrust Field(string pointer, string json, double confidence, bool unsupported = false) =>
        new(pointer, JsonDocument.Parse(json).RootElement.Clone(), confidence,
            unsupported ? null : new Evidence(1, 0, 3, json), unsupported);

    private static StructuredData Data(params FieldTrust[] fields) =>
        new("invoice", JsonDocument.Parse("{}").RootElement, LlmExtraction.ExtractedState, null, null) { Fields = fields };

    [Fact]
    public void Confident_supported_values_need_no_review() =>
        Assert.Equal(Review.None, _policy.Decide(Data(Field("/total", "631.2", 0.95), Field("/number", "\"A-1\"", 0.6))));

    [Fact]
    public void A_value_the_page_contradicts_is_a_reason_with_its_sentence()
    {
        var data = Data(Field("/total", "529.87", 1)) with
        {
            Contradictions = [new PageContradiction("/total", "the attachment factur-x.xml gives /total as 529.87, but page 1 shows 592,87")],
        };

        var reason = Assert.Single(_policy.Decide(data).Reasons);

        Assert.Equal((ReviewReason.Contradicted, "/total"), (reason.Kind, reason.Pointer));
        Assert.Equal("the attachment factur-x.xml gives /total as 529.87, but page 1 shows 592,87", reason.Detail);
    }

    [Fact]
    public void A_value_below_the_threshold_is_a_reason_naming_it()
    {
        var review = _policy.Decide(Data(Field("/total", "631.2", 0.95), Field("/number", "\"A-1\"", 0.59)));

        Assert.True(review.Needed);
        var reason = Assert.Single(review.Reasons);
        Assert.Equal((ReviewReason.LowConfidence, "/number"), (reason.Kind, reason.Pointer));
        Assert.Contains("0.59, below Llm:ReviewConfidence 0.6", reason.Detail);
    }

    [Fact]
    public void An_unsupported_value_is_a_reason_even_when_the_model_was_sure()
    {
        var review = _policy.Decide(Data(Field("/iban", "\"GB00XXXX\"", 0.99, unsupported: true)));

        var reason = Assert.Single(review.Reasons);
        Assert.Equal((ReviewReason.Unsupported, "/iban"), (reason.Kind, reason.Pointer));
        Assert.Contains("\"GB00XXXX\" of /iban occurs nowhere", reason.Detail);
    }

    [Fact]
    public void An_unknown_type_is_a_reason()
    {
        var review = _policy.Decide(new StructuredData("unknown", null, LlmExtraction.UnknownTypeState, "best guess 'letter' at 0.3", null));

        Assert.Equal(ReviewReason.UnknownType, Assert.Single(review.Reasons).Kind);
    }

    [Fact]
    public void A_failed_rule_is_a_reason_and_a_text_only_result_is_not()
    {
        var textOnly = new StructuredData("invoice", null, TextOnlyExtraction.State, "no model", null);

        Assert.False(_policy.Decide(textOnly).Needed);
        var review = _policy.Decide(textOnly, [("subtotal-plus-tax", "100.00 + 20.00 = 120.00, total says 121.00")]);
        Assert.Equal(ReviewReason.FailedRule, Assert.Single(review.Reasons).Kind);
    }
}
