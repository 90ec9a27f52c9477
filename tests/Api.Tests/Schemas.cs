using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DocExtract.Api.Tests;

internal static class Schemas
{
    public static async Task<HttpResponseMessage> PutSchemaAsync(this HttpClient client, string name, string json) =>
        await client.PutAsync($"/schemas/{name}", new StringContent(json, Encoding.UTF8, "application/json"));

    public static string VersionOf(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path) =>
        await client.GetFromJsonAsync<JsonElement>(path);
}
