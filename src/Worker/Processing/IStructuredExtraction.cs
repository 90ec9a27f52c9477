using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Worker.Extraction;
using DocExtract.Worker.TextExtraction;

namespace DocExtract.Worker.Processing;

/// <summary>What the LLM stage made of a document's text (issue #3): the data and how it was obtained.</summary>
public sealed record StructuredData(string Schema, JsonElement? Data, string State, string? Reason, JsonObject? Details)
{
    /// <summary>Every leaf value of <see cref="Data"/> with its confidence and evidence (#6); empty without data.</summary>
    public IReadOnlyList<FieldTrust> Fields { get; init; } = [];

    /// <summary>The page windows of a document longer than the context; null when it was read in one prompt.</summary>
    public IReadOnlyList<PageWindow>? Windows { get; init; }
}

/// <summary>The LLM stage: turns a document's text into JSON valid against its document type.</summary>
public interface IStructuredExtraction
{
    Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken);
}

/// <summary>Used when no model is configured: the text is extracted and the data stays null, saying why.</summary>
public sealed class TextOnlyExtraction : IStructuredExtraction
{
    public const string State = "not-extracted";

    public Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken) =>
        Task.FromResult(new StructuredData(schema, null, State,
            "no LLM model is configured (Llm:ModelPath), so only the text was extracted", null));
}
