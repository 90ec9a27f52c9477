using System.Net;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Api.Tests;

public sealed class Calling_without_a_valid_key(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Theory]
    [InlineData("GET", "/documents")]
    [InlineData("POST", "/documents")]
    [InlineData("GET", "/documents/00000000-0000-0000-0000-000000000001")]
    [InlineData("DELETE", "/documents/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/audit")]
    [InlineData("GET", "/health/ready")]
    public async Task Is_401_problem_saying_how_to_send_one(string method, string path)
    {
        using var client = api.CreateClient(key: null);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_needs_no_key()
    {
        using var client = api.CreateClient(key: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("not-a-key", "malformed")]
    [InlineData("dx_0123456789ab_c2VjcmV0LWJ1dC1ub3QtdGhlLXJpZ2h0LW9uZQ", "is not valid")]
    public async Task A_wrong_key_is_401_saying_why(string key, string why)
    {
        using var client = api.CreateClient(key);

        using var response = await client.GetAsync("/documents");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(why, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_its_secret_changed_is_refused()
    {
        var key = await TestKeys.CreateAsync(api.Database.ConnectionString, "acme", ApiRoles.Read);
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        using var client = api.CreateClient(tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/documents")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_401_saying_it_was_revoked()
    {
        var key = await TestKeys.CreateAsync(api.Database.ConnectionString, "acme", ApiRoles.Read);
        using var client = api.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/documents")).StatusCode);

        await api.Database.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE id = $1", key[3..15]);

        using var response = await client.GetAsync("/documents");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_x_api_key_header_works_as_well_as_bearer()
    {
        using var client = api.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("X-Api-Key", api.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/documents")).StatusCode);
    }

    [Fact]
    public async Task The_database_holds_only_the_hash_of_a_key()
    {
        var key = await TestKeys.CreateAsync(api.Database.ConnectionString, "acme", ApiRoles.Read);
        var secret = key[16..];

        var rowText = await api.Database.ScalarAsync<string>("SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1", key[3..15]);

        Assert.NotNull(rowText);
        Assert.DoesNotContain(secret, rowText, StringComparison.Ordinal);
        Assert.Contains(ApiKeySecrets.Hash(secret), rowText, StringComparison.Ordinal);
    }
}
