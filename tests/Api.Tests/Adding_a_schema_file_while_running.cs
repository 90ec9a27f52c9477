using System.Net;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>An API over a schema folder of its own, so that a file can be added while it runs.</summary>
public sealed class SchemaFolderApiFixture : ApiFixture
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("docextract-schemas-").FullName;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Schemas:Directory"] = Folder,
        ["Outbox:RelayEnabled"] = "false",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class Adding_a_schema_file_while_running(SchemaFolderApiFixture api) : IClassFixture<SchemaFolderApiFixture>
{
    [Fact]
    public async Task The_new_type_is_listed_and_accepted_without_a_restart()
    {
        using var client = api.CreateClient();
        File.Copy(Path.Combine(Repository.Root, "schemas", "invoice.json"), Path.Combine(api.Folder, "invoice.json"));
        Assert.DoesNotContain("\"wreck-report\"", await client.GetStringAsync("/schemas"), StringComparison.Ordinal);
        using var before = await client.PostAsync(TestPdfs.Invoice($"wreck-{Guid.NewGuid()}"), schema: "wreck-report");
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);

        await File.WriteAllTextAsync(Path.Combine(api.Folder, "wreck-report.json"), CustomSchemas.Claim("Wreck report"));

        var listed = (await client.GetJsonAsync("/schemas")).GetProperty("items").EnumerateArray()
            .Single(item => item.GetProperty("name").GetString() == "wreck-report");
        Assert.Equal("built-in", listed.GetProperty("source").GetString());
        Assert.Equal(Schemas.VersionOf(CustomSchemas.Claim("Wreck report")), listed.GetProperty("version").GetString());
        using var after = await client.PostAsync(TestPdfs.Invoice($"wreck-{Guid.NewGuid()}"), schema: "wreck-report");
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    [Fact]
    public async Task A_broken_file_is_listed_with_its_reason()
    {
        using var client = api.CreateClient();

        await File.WriteAllTextAsync(Path.Combine(api.Folder, "broken.json"), CustomSchemas.WithPattern());

        var unloadable = (await client.GetJsonAsync("/schemas")).GetProperty("unloadable").EnumerateArray()
            .Single(item => item.GetProperty("file").GetString() == "broken.json");
        Assert.Contains("'pattern' at #/properties/policy_number", unloadable.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
