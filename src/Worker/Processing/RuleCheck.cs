using DocExtract.Schemas;
using DocExtract.Schemas.Rules;

namespace DocExtract.Worker.Processing;

/// <summary>Runs a document type's rules across fields (issue #6) over the data the LLM stage produced; shared by the
/// worker and `extract`.</summary>
public sealed class RuleCheck(SchemaCatalog schemas)
{
    /// <summary>One outcome per rule; none without data, or for a type the catalog no longer has.</summary>
    public async Task<IReadOnlyList<RuleResult>> RunAsync(StructuredData data, CancellationToken cancellationToken)
    {
        if (data.Data is not { } json || await schemas.FindAsync(data.Schema, cancellationToken) is not { } schema)
        {
            return [];
        }

        return [.. schema.Rules.Select(rule => rule.Evaluate(json))];
    }
}
