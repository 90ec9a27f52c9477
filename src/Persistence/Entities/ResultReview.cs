using System.Text.Json;

namespace DocExtract.Persistence.Entities;

/// <summary>
/// One approved version of a document's data, made by a person on the review screen (issue #13). The model's output
/// stays untouched in <see cref="ExtractionResult"/>; each approval adds a version (1, 2, ...) with who approved it,
/// when, and what changed, so corrections become labels that models can be measured against.
/// </summary>
public sealed class ResultReview : IDisposable
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public required string TenantId { get; init; }

    /// <summary>The model's result (its extraction id) the person started from.</summary>
    public Guid ResultId { get; init; }

    /// <summary>1 for the first approval of the document, counting up; unique per document.</summary>
    public int Version { get; init; }

    public required string SchemaName { get; init; }
    /// <summary>The schema version (its SHA-256, as results and extractions hold it) the corrected data is valid against.</summary>
    public string? SchemaVersion { get; init; }

    /// <summary>The corrected data object, valid against the schema version it names.</summary>
    public required JsonDocument Data { get; init; }

    /// <summary>What the person changed against the model's output: an array of <c>{ "path", "from", "to" }</c>.</summary>
    public required JsonDocument Changes { get; init; }

    /// <summary>The API key id of the person who approved it.</summary>
    public required string ReviewedBy { get; init; }
    public DateTimeOffset ReviewedAt { get; init; }

    public void Dispose()
    {
        Data.Dispose();
        Changes.Dispose();
    }
}
