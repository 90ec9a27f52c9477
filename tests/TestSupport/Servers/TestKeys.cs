using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// Makes API keys for tests straight in the database, as `keys create` stores them (hash only), and returns the key
/// to send. Tests of the command itself run the real command.
/// </summary>
public static class TestKeys
{
    public static async Task<string> CreateAsync(string connectionString, string tenant = Tenants.Default, string role = ApiRoles.Admin)
    {
        var (id, token, hash) = ApiKeySecrets.Create();
        await using var db = PersistenceExtensions.CreateContext(connectionString);
        db.ApiKeys.Add(new ApiKey { Id = id, TenantId = tenant, Role = role, SecretSha256 = hash, Name = "test", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return token;
    }

    public static HttpClient Authenticated(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
