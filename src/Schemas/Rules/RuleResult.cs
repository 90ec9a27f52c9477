using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DocExtract.Schemas.Rules;

/// <summary>What one rule found in one document's data (issue #6): pass, fail, or skipped when a value it needs is
/// missing; <see cref="Values"/> holds the numbers it compared, so a reviewer can see by how much it failed.</summary>
public sealed record RuleResult(string Name, string Kind, string Outcome, string? Reason, JsonObject Values)
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Skipped = "skipped";

    [JsonIgnore]
    public bool Failed => Outcome == Fail;
}
