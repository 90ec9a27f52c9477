using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Api.Documents;
using DocExtract.Contracts;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>An API given Secrets:KeyFile, as scripts/setup.sh and compose give it.</summary>
public sealed class SealingApiFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Secrets:KeyFile"] = TestSecrets.KeyFile,
    };
}

/// <summary>The `password` field of an upload travels sealed, never in the clear (#14).</summary>
public sealed class Uploading_a_protected_pdf_with_its_password(SealingApiFixture api) : IClassFixture<SealingApiFixture>
{
    [Fact]
    public async Task The_command_carries_it_sealed_for_the_tenant_and_no_row_holds_it_in_the_clear()
    {
        using var client = api.CreateClient();
        var password = $"pw-{Guid.NewGuid():N}";
        var form = Uploads.Form(TestPdfs.Invoice("sealed"), schema: "invoice");
        form.Add(new StringContent(password), "password");

        using var response = await client.PostAsync("/documents", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await response.DocumentAsync();
        var sealedPassword = await api.Database.ScalarAsync<string>(
            "SELECT payload->>'SealedPassword' FROM outbox WHERE payload->>'DocumentId' = $1", document.Id.ToString());
        var seal = PasswordSeal.FromFile(TestSecrets.KeyFile)!;
        Assert.Equal(password, seal.Open(sealedPassword!, "default"));
        Assert.Null(seal.Open(sealedPassword!, "another-tenant"));
        foreach (var table in new[] { "outbox", "documents", "extractions", "audit_log" })
        {
            Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} t WHERE t::text LIKE '%' || $1 || '%'", password));
        }
    }
}

/// <summary>Neither languages nor a password are kept from an upload, so a re-extraction may send them again (#14).</summary>
public sealed class Re_extracting_a_protected_scan(SealingApiFixture api) : IClassFixture<SealingApiFixture>
{
    [Fact]
    public async Task Its_languages_and_sealed_password_travel_on_the_new_command()
    {
        using var client = api.CreateClient();
        using var upload = await client.PostAsync(TestPdfs.Invoice($"again-{Guid.NewGuid()}"));
        var document = await upload.DocumentAsync();

        using var response = await client.PostAsJsonAsync($"/documents/{document.Id}/extractions",
            new { schema = "invoice", language = "FRA", password = "open sesame" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<ExtractionResponse>())!;
        var command = await api.Database.ScalarAsync<string>(
            "SELECT payload::text FROM outbox WHERE payload->>'ExtractionId' = $1", run.Id.ToString());
        using var parsed = JsonDocument.Parse(command!);
        Assert.Equal("fra", parsed.RootElement.GetProperty("Language").GetString());
        Assert.Equal("open sesame", PasswordSeal.FromFile(TestSecrets.KeyFile)!.Open(parsed.RootElement.GetProperty("SealedPassword").GetString()!, "default"));
        Assert.DoesNotContain("open sesame", command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_that_is_not_installed_is_refused()
    {
        using var client = api.CreateClient();
        using var upload = await client.PostAsync(TestPdfs.Invoice($"again-{Guid.NewGuid()}"));
        var document = await upload.DocumentAsync();

        using var response = await client.PostAsJsonAsync($"/documents/{document.Id}/extractions", new { schema = "invoice", language = "tlh" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

/// <summary>Without Secrets:KeyFile the API cannot keep a password safe, so it takes none.</summary>
public sealed class Uploading_a_password_to_an_api_without_a_key(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Is_refused_naming_the_setting_and_stores_nothing()
    {
        using var client = api.CreateClient();
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents");
        var form = Uploads.Form(TestPdfs.Invoice("unsealed"), schema: "invoice");
        form.Add(new StringContent("secret"), "password");

        using var response = await client.PostAsync("/documents", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Secrets:KeyFile", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }
}

/// <summary>The seal itself: AES-256-GCM under the key file, bound to the tenant.</summary>
public sealed class Sealing_a_password
{
    [Fact]
    public void Opens_only_with_the_same_key_and_tenant_and_refuses_a_changed_seal()
    {
        var seal = PasswordSeal.FromFile(TestSecrets.KeyFile)!;
        var other = PasswordSeal.FromFile(TestSecrets.OtherKeyFile())!;

        var sealedPassword = seal.Seal("élan 1234", "acme");

        Assert.Equal("élan 1234", seal.Open(sealedPassword, "acme"));
        Assert.Null(seal.Open(sealedPassword, "globex"));
        Assert.Null(other.Open(sealedPassword, "acme"));
        var changed = sealedPassword[..^4] + (sealedPassword[^4] == 'A' ? "B" : "A") + sealedPassword[^3..];
        Assert.Null(seal.Open(changed, "acme"));
        Assert.NotEqual(sealedPassword, seal.Seal("élan 1234", "acme"));
    }

    [Fact]
    public void A_key_file_of_the_wrong_size_is_refused_naming_the_setting()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "short");

        var failure = Assert.Throws<InvalidOperationException>(() => PasswordSeal.FromFile(path));

        Assert.Contains("Secrets:KeyFile", failure.Message, StringComparison.Ordinal);
        Assert.Null(PasswordSeal.FromFile(null));
    }
}
