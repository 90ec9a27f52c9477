using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.Processing;

/// <summary>
/// The one place that decides whether a finished extraction needs a person (#6). A document needs review when a
/// value's confidence is below Llm:ReviewConfidence, when a value is unsupported (found nowhere in the text: likely
/// invented), when <c>auto</c> could not tell its type, when its pages contradict a value read from its e-invoice
/// attachment (#12), or when a rule of its schema failed. Rules are evaluated
/// elsewhere (x-docextract-rules); their failures come in as <c>failedRules</c>, name and what was found.
/// </summary>
public sealed class ReviewPolicy(IOptions<LlmOptions> options)
{
    public Review Decide(StructuredData data, IReadOnlyList<(string Rule, string Detail)>? failedRules = null)
    {
        var reasons = new List<ReviewReason>();
        if (data.State == LlmExtraction.UnknownTypeState)
        {
            reasons.Add(new ReviewReason(ReviewReason.UnknownType, null, data.Reason ?? "the document's type could not be determined"));
        }
        var threshold = options.Value.ReviewConfidence;
        foreach (var field in data.Fields)
        {
            if (field.Confidence < threshold)
            {
                reasons.Add(new ReviewReason(ReviewReason.LowConfidence, field.Pointer,
                    $"the model's confidence in {field.Pointer} is {field.Confidence:0.###}, below Llm:ReviewConfidence {threshold:0.###}"));
            }
            if (field.Unsupported)
            {
                reasons.Add(new ReviewReason(ReviewReason.Unsupported, field.Pointer,
                    $"the value {field.Value.GetRawText()} of {field.Pointer} occurs nowhere in the document's text (likely invented)"));
            }
        }
        foreach (var contradiction in data.Contradictions)
        {
            reasons.Add(new ReviewReason(ReviewReason.Contradicted, contradiction.Pointer, contradiction.Detail));
        }
        foreach (var (rule, detail) in failedRules ?? [])
        {
            reasons.Add(new ReviewReason(ReviewReason.FailedRule, null, $"rule '{rule}' failed: {detail}"));
        }
        return reasons.Count == 0 ? Review.None : new Review(true, reasons);
    }
}
