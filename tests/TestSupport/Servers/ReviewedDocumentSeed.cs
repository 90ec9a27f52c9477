using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Persistence.Entities;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// A reviewed document as the worker and the review screen leave it (#13): the document, the model's result (data,
/// per-field confidence, page text) and one or more approved versions, for evaluation tests that need no worker.
/// </summary>
public static class ReviewedDocumentSeed
{
    /// <summary>One approved version: the corrected data and when it was approved.</summary>
    public sealed record Approval(string Data, DateTimeOffset At);

    public static async Task<Guid> AddAsync(this TestDatabase database, string tenant, string type, string modelData,
        IReadOnlyDictionary<string, double> confidence, IReadOnlyList<Approval> approvals, string pageText = "page text",
        string route = "llm", string schemaVersion = "")
    {
        var bytes = Encoding.ASCII.GetBytes($"%PDF-1.7 reviewed {Guid.NewGuid()}");
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var created = approvals[0].At.AddHours(-1);
        var document = new Document
        {
            Id = Guid.NewGuid(), TenantId = tenant, FileSha256 = sha, FileName = "reviewed.pdf", SizeBytes = bytes.Length, RequestedSchema = type,
            Status = DocumentStatus.Reviewed, CurrentExtractionId = Guid.NewGuid(), CreatedAt = created, UpdatedAt = approvals[^1].At,
        };
        var content = new JsonObject
        {
            ["documentId"] = document.Id,
            ["extractionId"] = document.CurrentExtractionId,
            ["schema"] = type,
            ["schemaVersion"] = schemaVersion.Length == 0 ? new string('a', 64) : schemaVersion,
            ["pages"] = new JsonArray(new JsonObject { ["number"] = 1, ["text"] = pageText, ["source"] = "text-layer" }),
            ["data"] = JsonNode.Parse(modelData),
            ["fields"] = new JsonArray([.. confidence.Select(c => new JsonObject { ["pointer"] = c.Key, ["confidence"] = c.Value })]),
            ["route"] = route,
        };
        await using var db = database.CreateContext();
        db.Files.Add(new StoredFile { Sha256 = sha, Content = bytes, SizeBytes = bytes.Length, CreatedAt = created });
        db.Documents.Add(document);
        db.Results.Add(new ExtractionResult
        {
            Id = document.CurrentExtractionId, DocumentId = document.Id, SchemaName = type,
            Content = JsonDocument.Parse(content.ToJsonString()), CreatedAt = created,
        });
        for (var i = 0; i < approvals.Count; i++)
        {
            db.Reviews.Add(new ResultReview
            {
                Id = Guid.NewGuid(), DocumentId = document.Id, TenantId = tenant, ResultId = document.CurrentExtractionId, Version = i + 1,
                SchemaName = type, Data = JsonDocument.Parse(approvals[i].Data), Changes = JsonDocument.Parse("[]"), ReviewedBy = "test",
                ReviewedAt = approvals[i].At,
            });
        }
        await db.SaveChangesAsync();
        return document.Id;
    }

    /// <summary>A review of an existing document's current result, by the document's own tenant, as the review screen approves one.</summary>
    public static async Task ApproveAsync(this TestDatabase database, Guid documentId, string type, string data)
    {
        await using var db = database.CreateContext();
        var document = await db.Documents.FindAsync(documentId) ?? throw new InvalidOperationException($"no document {documentId}");
        var version = db.Reviews.Count(r => r.DocumentId == documentId) + 1;
        db.Reviews.Add(new ResultReview
        {
            Id = Guid.NewGuid(), DocumentId = documentId, TenantId = document.TenantId, ResultId = document.CurrentExtractionId, Version = version,
            SchemaName = type, Data = JsonDocument.Parse(data), Changes = JsonDocument.Parse("[]"), ReviewedBy = "test", ReviewedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }
}
