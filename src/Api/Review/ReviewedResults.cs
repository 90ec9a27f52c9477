using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Review;

/// <summary>
/// What GET /documents/{id}/result serves once a person approved the current result (issue #13): the model's result
/// with <c>data</c> replaced by the newest approved version and <c>reviewed</c> saying which version, who and when,
/// and what was changed; <c>?version=model</c> serves the model's output untouched. The trust signals (fields,
/// confidence, review reasons) stay the model's: they describe what the model said.
/// </summary>
public static class ReviewedResults
{
    public const string ModelVersion = "model";

    public static Task<ResultReview?> LatestAsync(DocExtractDbContext db, Document document, CancellationToken cancellationToken) =>
        db.Reviews.AsNoTracking().Where(r => r.DocumentId == document.Id && r.ResultId == document.CurrentExtractionId)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The type and version a model's result was made with, which its corrections are checked against.</summary>
    public static (string Name, string? Version) SchemaOf(ExtractionResult model)
    {
        var content = model.Content.RootElement;
        var name = content.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : model.SchemaName;
        var version = content.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return (name, version);
    }

    /// <summary>The result JSON to serve: the model's as stored when nothing was approved (or the model's is asked for).</summary>
    public static async Task<string> ApplyAsync(DocExtractDbContext db, Document document, string modelJson, string? version, CancellationToken cancellationToken)
    {
        if (version == ModelVersion)
        {
            return modelJson;
        }
        using var review = await LatestAsync(db, document, cancellationToken);
        if (review is null)
        {
            return modelJson;
        }
        var result = JsonNode.Parse(modelJson)!.AsObject();
        result["data"] = JsonNode.Parse(review.Data.RootElement.GetRawText());
        result["reviewed"] = new JsonObject
        {
            ["version"] = review.Version,
            ["reviewedBy"] = review.ReviewedBy,
            ["reviewedAt"] = review.ReviewedAt,
            ["changes"] = JsonNode.Parse(review.Changes.RootElement.GetRawText()),
            ["model"] = $"/documents/{document.Id}/result?version={ModelVersion}",
        };
        return result.ToJsonString(new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}
