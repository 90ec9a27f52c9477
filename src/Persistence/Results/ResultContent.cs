using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DocExtract.Schemas.Rules;

namespace DocExtract.Persistence.Results;

/// <summary>
/// The JSON stored in results.content and returned by GET /documents/{id}/result: written by the worker, read by the
/// API, one type for both (#16), so a new field is one change here. <see cref="Schema"/> and
/// <see cref="SchemaVersion"/> name the exact type the data was made with, built-in or custom (#6). The trust signals
/// (#6): the outcome of the type's rules across fields, every leaf value's confidence and evidence
/// (<see cref="Fields"/>), their summary, whether the result needs review and why, and the page windows of a document
/// longer than the context.
/// </summary>
/// <remarks>
/// Stored as jsonb with System.Text.Json (<see cref="Json"/>), not as an EF complex type with ToJson(): the data, the
/// values and the rules' figures are schema-less JSON (JsonElement, JsonObject), which EF's JSON mapping does not
/// take, and the text must be cleaned for PostgreSQL before it is stored (<see cref="ToJsonDocument"/>). The API
/// returns the stored jsonb as it is. A row stored before a member existed reads with that member's default.
/// </remarks>
public sealed record ResultContent
{
    /// <summary>The property names the API's queries take out of the stored JSON in SQL, as this type writes them.</summary>
    public const string DataProperty = "data";
    public const string RulesProperty = "rules";

    /// <summary>The <see cref="Route"/> of data the model made.</summary>
    public const string LlmRoute = "llm";

    public required Guid DocumentId { get; init; }
    public required Guid ExtractionId { get; init; }
    public required string RequestedSchema { get; init; }
    public required string Schema { get; init; }
    public required string? SchemaVersion { get; init; }
    public required int PageCount { get; init; }
    public required IReadOnlyList<PageText> Pages { get; init; } = [];
    public required TextStage Text { get; init; }

    [JsonPropertyName(DataProperty)]
    public required JsonElement? Data { get; init; }

    public required DataStage DataStatus { get; init; }

    [JsonPropertyName(RulesProperty)]
    public required IReadOnlyList<RuleResult> Rules { get; init; } = [];

    public required IReadOnlyList<FieldTrust> Fields { get; init; } = [];
    public required ConfidenceSummary? Confidence { get; init; }
    public required Review Review { get; init; } = Review.None;
    public required IReadOnlyList<PageWindow>? Windows { get; init; }
    public required StageTimings Timings { get; init; }
    public required string Worker { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>How the data was made (#12): <c>llm</c>, or <c>embedded-xml</c> when read from an e-invoice's attachment.</summary>
    public string Route { get; init; } = LlmRoute;

    /// <summary>What the embedded-XML route found in the PDF's attachments (#12); null when it did not look.</summary>
    public EmbeddedInvoiceReport? EmbeddedInvoice { get; init; }

    /// <summary>
    /// Every model tier's attempt at this extraction, first to last (#12, the cascade of local models); null where
    /// the settings configure a single tier.
    /// </summary>
    public IReadOnlyList<TierAttempt>? Attempts { get; init; }

    /// <summary>
    /// How a result is written and read. <c>required</c> makes the worker set every member; reading does not insist on
    /// them, so a row stored before a member existed still reads.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AllOptional } },
    };

    /// <summary>Which worker process made a result: host name and process id.</summary>
    public static string ThisWorker { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Whether a rule of the document type found the data inconsistent (issue #6).</summary>
    [JsonIgnore]
    public bool AnyRuleFailed => Rules.Any(rule => rule.Failed);

    /// <summary>
    /// Where text was changed to be storable (U+0000 removed, unpaired surrogates replaced; #15): the pages' text,
    /// cleaned before the LLM read it, and any other string of the result, cleaned as it is stored. Null when nothing was.
    /// </summary>
    public IReadOnlyList<CleanedText>? Cleaned { get; init; }

    /// <summary>A stored result as this type: the text of results.content, or the document the entity holds.</summary>
    public static ResultContent Read(string json) =>
        JsonSerializer.Deserialize<ResultContent>(json, Json) ?? throw new JsonException("a result's JSON is null");

    /// <inheritdoc cref="Read(string)"/>
    public static ResultContent Read(JsonDocument json) =>
        json.Deserialize<ResultContent>(Json) ?? throw new JsonException("a result's JSON is null");

    /// <summary>The JSON to store, every string in it storable by PostgreSQL, with <see cref="Cleaned"/> saying where.</summary>
    public JsonDocument ToJsonDocument()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        // The writer escapes U+0000 and every character outside ASCII, so text without "\u0000" or "\uD8".."\uDF"
        // has nothing to clean: the common case stays one serialization.
        if (!MayNeedCleaning(bytes))
        {
            return JsonDocument.Parse(bytes);
        }

        var node = JsonNode.Parse(bytes)!.AsObject();
        var cleaned = new List<CleanedText>(Cleaned ?? []);
        node.Remove("cleaned");
        StorableText.Clean(node, "", cleaned);
        node["cleaned"] = cleaned.Count == 0 ? null : JsonSerializer.SerializeToNode(cleaned, Json);
        return JsonSerializer.SerializeToDocument(node, Json);
    }

    private static void AllOptional(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            property.IsRequired = false;
        }
    }

    // True where an escape "\u0000" or "\uD800".."\uDFFF" occurs (an escaped backslash before a 'u' may give a false
    // alarm, which only costs the slower path).
    private static bool MayNeedCleaning(ReadOnlySpan<byte> json)
    {
        while (json.IndexOf("\\u"u8) is var at and >= 0)
        {
            json = json[(at + 2)..];
            if (json.Length >= 4 && (json.StartsWith("0000"u8)
                || ((json[0] | 0x20) == 'd' && (json[1] is (byte)'8' or (byte)'9' || (json[1] | 0x20) is >= 'a' and <= 'f'))))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>How the text was read; <paramref name="Notes"/> says what a reader should know (low OCR confidence: #14).</summary>
public sealed record TextStage(string Engine, double ElapsedMs, IReadOnlyList<string>? Notes = null);

public sealed record DataStage(string State, string? Reason, JsonObject? Details);

public sealed record StageTimings(double QueuedMs, double TextMs, double LlmMs, double TotalMs);
