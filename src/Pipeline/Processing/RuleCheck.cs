using DocExtract.Schemas;
using DocExtract.Schemas.Rules;

namespace DocExtract.Pipeline.Processing;

/// <summary>Runs a document type's rules across fields (issue #6) over the data the LLM stage produced; shared by the
/// worker and `extract`.</summary>
public sealed class RuleCheck(SchemaCatalog schemas)
{
    /// <summary>
    /// One outcome per rule of the type the data was made with: <paramref name="type"/> when the document named it
    /// (a custom type, or an exact version), else the built-in type <c>auto</c> chose. None without data, or for a
    /// type the catalog no longer has.
    /// </summary>
    public async Task<IReadOnlyList<RuleResult>> RunAsync(StructuredData data, DocumentSchema? type, CancellationToken cancellationToken)
    {
        if (data.Data is not { } json)
        {
            return [];
        }

        var schema = type is not null && type.Name == data.Schema ? type : await schemas.FindAsync(data.Schema, cancellationToken);
        return schema is null ? [] : [.. schema.Rules.Select(rule => rule.Evaluate(json))];
    }

    /// <summary>The failed rules, as <see cref="ReviewPolicy.Decide"/> takes them: a failed rule means needs_review (#6).</summary>
    public static IReadOnlyList<(string Rule, string Detail)> Failures(IReadOnlyList<RuleResult> results) =>
        [.. results.Where(result => result.Failed).Select(result => (result.Name, result.Reason ?? "the rule failed"))];
}
