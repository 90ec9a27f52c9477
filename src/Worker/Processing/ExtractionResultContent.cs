using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DocExtract.Schemas.Rules;
using DocExtract.Worker.Extraction;
using DocExtract.Worker.TextExtraction;

namespace DocExtract.Worker.Processing;

/// <summary>
/// The JSON stored in results.content and returned by GET /documents/{id}/result. <see cref="Schema"/> and
/// <see cref="SchemaVersion"/> name the exact type the data was made with, built-in or custom (#6). The trust signals
/// (#6): the outcome of the type's rules across fields, every leaf value's confidence and evidence
/// (<see cref="Fields"/>), their summary, whether the result needs review and why, and the page windows of a document
/// longer than the context.
/// </summary>
public sealed record ExtractionResultContent(
    Guid DocumentId,
    Guid ExtractionId,
    string RequestedSchema,
    string Schema,
    string? SchemaVersion,
    int PageCount,
    IReadOnlyList<PageText> Pages,
    TextStage Text,
    JsonElement? Data,
    DataStage DataStatus,
    IReadOnlyList<RuleResult> Rules,
    IReadOnlyList<FieldTrust> Fields,
    ConfidenceSummary? Confidence,
    Review Review,
    IReadOnlyList<PageWindow>? Windows,
    StageTimings Timings,
    string Worker,
    DateTimeOffset CreatedAt)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Which worker process made a result: host name and process id.</summary>
    public static string ThisWorker { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Whether a rule of the document type found the data inconsistent (issue #6).</summary>
    [JsonIgnore]
    public bool AnyRuleFailed => Rules.Any(rule => rule.Failed);

    public JsonDocument ToJsonDocument() => JsonSerializer.SerializeToDocument(this, Json);
}

/// <summary>How the text was read; <paramref name="Notes"/> says what a reader should know (low OCR confidence: #14).</summary>
public sealed record TextStage(string Engine, double ElapsedMs, IReadOnlyList<string>? Notes = null);

public sealed record DataStage(string State, string? Reason, JsonObject? Details);

public sealed record StageTimings(double QueuedMs, double TextMs, double LlmMs, double TotalMs);
