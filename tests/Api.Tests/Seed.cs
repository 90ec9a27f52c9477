using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Persistence.Entities;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Api.Tests;

/// <summary>Rows as the worker writes them, for API tests that need finished documents without running a worker.</summary>
internal static class Seed
{
    public static async Task<Document> DocumentAsync(TestDatabase database, string schema, DocumentStatus status,
        string fileName = "seeded.pdf", DateTimeOffset? createdAt = null)
    {
        var content = Encoding.ASCII.GetBytes($"%PDF-1.7 seeded {Guid.NewGuid()}");
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = createdAt ?? DateTimeOffset.UtcNow;
        var document = new Document
        {
            Id = Guid.NewGuid(), FileSha256 = sha, FileName = fileName, SizeBytes = content.Length, RequestedSchema = schema,
            Status = status, CurrentExtractionId = Guid.NewGuid(), CreatedAt = now, UpdatedAt = now,
        };
        await using var db = database.CreateContext();
        db.Files.Add(new StoredFile { Sha256 = sha, Content = content, SizeBytes = content.Length, CreatedAt = now });
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        return document;
    }

    /// <summary>A succeeded document with a result of the given data and rule outcomes, created at the given time.</summary>
    public static async Task<(Guid DocumentId, Guid ExtractionId)> ResultAsync(TestDatabase database, string schema,
        DateTimeOffset createdAt, string dataJson, string rulesJson = "[]", string fileName = "seeded.pdf")
    {
        var document = await DocumentAsync(database, schema, DocumentStatus.Succeeded, fileName, createdAt);
        var content = $$"""{ "schema": "{{schema}}", "pages": [{ "number": 1, "text": "page text", "source": "text-layer" }], "data": {{dataJson}}, "rules": {{rulesJson}} }""";
        await using var db = database.CreateContext();
        db.Results.Add(new ExtractionResult
        {
            Id = document.CurrentExtractionId, DocumentId = document.Id, SchemaName = schema,
            Content = JsonDocument.Parse(content), CreatedAt = createdAt,
        });
        await db.SaveChangesAsync();
        return (document.Id, document.CurrentExtractionId);
    }
}
