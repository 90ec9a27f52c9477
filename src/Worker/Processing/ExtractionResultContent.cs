using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DocExtract.Worker.Extraction;
using DocExtract.Worker.TextExtraction;

namespace DocExtract.Worker.Processing;

/// <summary>
/// The JSON stored in results.content and returned by GET /documents/{id}/result. The trust signals (#6): every
/// leaf value's confidence and evidence (<see cref="Fields"/>), their summary, whether the result needs review and
/// why, and the page windows of a document longer than the context.
/// </summary>
public sealed record ExtractionResultContent(
    Guid DocumentId,
    Guid ExtractionId,
    string RequestedSchema,
    string Schema,
    int PageCount,
    IReadOnlyList<PageText> Pages,
    TextStage Text,
    JsonElement? Data,
    DataStage DataStatus,
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

    public JsonDocument ToJsonDocument() => JsonSerializer.SerializeToDocument(this, Json);
}

public sealed record TextStage(string Engine, double ElapsedMs);

public sealed record DataStage(string State, string? Reason, JsonObject? Details);

public sealed record StageTimings(double QueuedMs, double TextMs, double LlmMs, double TotalMs);
