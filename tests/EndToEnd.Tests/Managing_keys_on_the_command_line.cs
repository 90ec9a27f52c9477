using System.Net;
using System.Net.Http.Headers;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

/// <summary>`keys` and `audit verify` as an operator runs them: the API's own program, against a running API.</summary>
public sealed class Managing_keys_on_the_command_line(Service service) : IClassFixture<Service>
{
    [Fact]
    public async Task A_created_key_works_until_it_is_revoked_and_each_change_is_audited()
    {
        var (created, key, createErrors) = await RunAsync("keys", "create", "--tenant", "acme", "--role", "submit", "--name", "scanner");
        Assert.True(created == 0, createErrors);
        key = key.Trim();
        Assert.Matches("^dx_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        var id = key[3..15];
        using var client = new HttpClient { BaseAddress = service.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var document = await UploadAsync(client);
        var (_, list, _) = await RunAsync("keys", "list", "--tenant", "acme");
        var (revoked, _, revokeErrors) = await RunAsync("keys", "revoke", id);
        Assert.True(revoked == 0, revokeErrors);
        using var afterRevoke = await client.GetAsync("/documents");

        Assert.Contains($"{id}\tacme\tsubmit", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal("127.0.0.1", await service.Database.ScalarAsync<string>(
            "SELECT remote FROM audit_log WHERE document_id = $1 AND action = 'document.uploaded'", document));
        Assert.Equal(2L, await service.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action IN ('key.created', 'key.revoked') AND details LIKE '%' || $1 || '%'", id));
    }

    [Fact]
    public async Task Audit_verify_passes_an_intact_chain_and_names_an_edited_record()
    {
        await UploadAsync(service.Http);
        var (intact, output, _) = await RunAsync("audit", "verify");
        Assert.Equal(0, intact);
        Assert.Contains("intact", output, StringComparison.Ordinal);

        var first = await service.Database.ScalarAsync<long>("SELECT min(sequence) FROM audit_log WHERE action = 'document.uploaded'");
        await service.Database.ExecuteAsync("UPDATE audit_log SET tenant_id = 'someone-else' WHERE sequence = $1", first);
        var (broken, _, errors) = await RunAsync("audit", "verify");
        await service.Database.ExecuteAsync("UPDATE audit_log SET tenant_id = 'default' WHERE sequence = $1", first);

        Assert.Equal(1, broken);
        Assert.Contains($"broken at record {first}", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys", "create", "--tenant", "Not A Slug", "--role", "admin")]
    [InlineData("keys", "create", "--tenant", "acme", "--role", "superuser")]
    [InlineData("keys", "frobnicate")]
    public async Task Bad_arguments_exit_2_with_the_usage(params string[] arguments)
    {
        var (code, _, errors) = await RunAsync(arguments);

        Assert.Equal(2, code);
        Assert.Contains("usage: DocExtract.Api keys", errors, StringComparison.Ordinal);
    }

    private static async Task<Guid> UploadAsync(HttpClient client)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestPdfs.Invoice($"cli-{Guid.NewGuid()}"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "cli.pdf");
        using var response = await client.PostAsync("/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).GetProperty("id").GetGuid();
    }

    private Task<(int Code, string Output, string Errors)> RunAsync(params string[] arguments) =>
        CommandLine.RunAsync(
            CommandLine.Program("Api", "DocExtract.Api.dll", arguments, ("ConnectionStrings__Postgres", service.Database.ConnectionString)),
            TimeSpan.FromMinutes(2));
}
