using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;

namespace DocExtract.Pipeline.Processing;

/// <summary>What the LLM stage made of a document's text (issue #3): the data and how it was obtained.</summary>
public sealed record StructuredData(string Schema, JsonElement? Data, string State, string? Reason, JsonObject? Details)
{
    /// <summary>The version of <see cref="Schema"/> the data was made with; null when no type was chosen (#6).</summary>
    public string? SchemaVersion { get; init; }

    /// <summary>Every leaf value of <see cref="Data"/> with its confidence and evidence (#6); empty without data.</summary>
    public IReadOnlyList<FieldTrust> Fields { get; init; } = [];

    /// <summary>The page windows of a document longer than the context; null when it was read in one prompt.</summary>
    public IReadOnlyList<PageWindow>? Windows { get; init; }

    /// <summary>How the data was made: <c>llm</c>, or <c>embedded-xml</c> when read from an e-invoice's attachment (#12).</summary>
    public string Route { get; init; } = LlmRoute;

    /// <summary>How the values' confidence was computed, as the result's confidence summary states it.</summary>
    public string ConfidenceFormula { get; init; } = FieldConfidence.Formula;

    /// <summary>Values the document's own pages contradict (#12); each one sends the document to review.</summary>
    public IReadOnlyList<PageContradiction> Contradictions { get; init; } = [];

    public const string LlmRoute = ResultContent.LlmRoute;
}

/// <summary>A value of the data that the visible pages contradict, with a sentence naming both sides.</summary>
public sealed record PageContradiction(string Pointer, string Detail);

/// <summary>The LLM stage: turns a document's text into JSON valid against its document type.</summary>
public interface IStructuredExtraction
{
    /// <summary>With a built-in type's name, or <c>auto</c> to classify among the built-in types first.</summary>
    Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken);

    /// <summary>With a type already resolved, built-in or custom, at the exact version it was asked at (#6).</summary>
    Task<StructuredData> ExtractAsync(ExtractedText text, DocumentSchema type, CancellationToken cancellationToken);
}

/// <summary>Used when no model is configured: the text is extracted and the data stays null, saying why.</summary>
public sealed class TextOnlyExtraction : IStructuredExtraction
{
    public const string State = "not-extracted";

    public Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken) =>
        Task.FromResult(new StructuredData(schema, null, State,
            "no LLM model is configured (Llm:Model), so only the text was extracted", null));

    public async Task<StructuredData> ExtractAsync(ExtractedText text, DocumentSchema type, CancellationToken cancellationToken) =>
        await ExtractAsync(text, type.Name, cancellationToken) with { SchemaVersion = type.Version };
}
