using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>A watched folder in-process whose scans are read in the languages its settings name (#14).</summary>
public abstract class LanguageFolderFixture : ApiFixture
{
    public string Root { get; } = Directory.CreateTempSubdirectory("docextract-watched-").FullName;

    protected abstract IReadOnlyDictionary<string, string?> Languages { get; }

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(Languages)
    {
        ["Outbox:RelayEnabled"] = "false",
        ["WatchedFolder:Path"] = Root,
        ["WatchedFolder:SettleTime"] = "00:00:00.2",
        ["WatchedFolder:RescanInterval"] = "00:00:00.5",
    };

    /// <summary>Drops a PDF into the inbox and waits for its command in the outbox; returns the command's Language.</summary>
    public async Task<string?> LanguageOfDroppedAsync()
    {
        var marker = Guid.NewGuid().ToString();
        await File.WriteAllBytesAsync(Path.Combine(Root, "inbox", $"scan-{marker}.pdf"), TestPdfs.Invoice(marker));
        return await Eventually.WaitAsync(async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE file_name = $1", $"scan-{marker}.pdf") == 1
                ? await Database.ScalarAsync<string>(
                    "SELECT coalesce(o.payload->>'Language', '(none)') FROM outbox o JOIN documents d ON o.payload->>'DocumentId' = d.id::text WHERE d.file_name = $1",
                    $"scan-{marker}.pdf")
                : null,
            TimeSpan.FromSeconds(30), "the dropped scan to be stored");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class FolderLanguageFixture : LanguageFolderFixture
{
    protected override IReadOnlyDictionary<string, string?> Languages => new Dictionary<string, string?>
    {
        ["WatchedFolder:OcrLanguages"] = "FRA+eng",
        ["Tenants:default:OcrLanguages"] = "deu",
    };
}

public sealed class TenantLanguageFixture : LanguageFolderFixture
{
    protected override IReadOnlyDictionary<string, string?> Languages => new Dictionary<string, string?>
    {
        ["Tenants:default:OcrLanguages"] = "deu",
    };
}

public sealed class Dropping_a_scan_into_a_folder_with_languages(FolderLanguageFixture folder) : IClassFixture<FolderLanguageFixture>
{
    [Fact]
    public async Task The_folders_languages_travel_on_the_extract_command() =>
        Assert.Equal("fra+eng", await folder.LanguageOfDroppedAsync());
}

public sealed class Dropping_a_scan_into_a_folder_of_a_tenant_with_languages(TenantLanguageFixture folder) : IClassFixture<TenantLanguageFixture>
{
    [Fact]
    public async Task The_tenants_languages_travel_on_the_extract_command() =>
        Assert.Equal("deu", await folder.LanguageOfDroppedAsync());
}
