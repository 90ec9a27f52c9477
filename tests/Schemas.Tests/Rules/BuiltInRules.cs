using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas.Tests.Rules;

// The rules of a built-in type run over its sample document, edited by each test.
internal static class BuiltInRules
{
    public static IReadOnlyList<DocumentRule> Of(string type)
    {
        using var schema = JsonDocument.Parse(TestFiles.Schema(type));
        return RuleSetReader.Read(schema.RootElement.Clone());
    }

    public static JsonObject Sample(string type) => JsonNode.Parse(TestFiles.Sample(type))!.AsObject();

    public static RuleResult Run(string type, string rule, JsonNode data)
    {
        using var document = JsonDocument.Parse(data.ToJsonString());
        return Assert.Single(Of(type), r => r.Name == rule).Evaluate(document.RootElement);
    }

    public static IReadOnlyList<RuleResult> RunAll(string type, JsonNode data)
    {
        using var document = JsonDocument.Parse(data.ToJsonString());
        return [.. Of(type).Select(rule => rule.Evaluate(document.RootElement))];
    }
}
