using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Documents;

namespace DocExtract.Api.Tests;

internal static class Uploads
{
    public static MultipartFormDataContent Form(byte[] content, string fileName = "test.pdf", string? schema = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        if (schema is not null)
        {
            form.Add(new StringContent(schema), "schema");
        }
        return form;
    }

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, byte[] content, string? idempotencyKey = null,
        string fileName = "test.pdf", string? schema = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/documents") { Content = Form(content, fileName, schema) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(DocumentsApi.IdempotencyKeyHeader, idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    public static async Task<DocumentResponse> DocumentAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<DocumentResponse>() ?? throw new InvalidOperationException("empty body");

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

internal static class StoredDocuments
{
    /// <summary>Marks a document succeeded with a result, as a worker would, without running one.</summary>
    public static async Task SucceedAsync(this DocExtract.TestSupport.Servers.TestDatabase database, Guid id, int ageDays = 0)
    {
        await database.ExecuteAsync(
            "UPDATE documents SET status = 'succeeded', completed_at = now(), created_at = now() - make_interval(days => $2) WHERE id = $1",
            id, ageDays);
        await database.ExecuteAsync(
            "INSERT INTO results (id, document_id, schema_name, content, created_at) " +
            "SELECT current_extraction_id, id, requested_schema, jsonb_build_object('documentId', id, 'pages', '[]'::jsonb), now() FROM documents WHERE id = $1",
            id);
    }
}
