using DocExtract.Api.WatchedFolder;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Api.Tests;

/// <summary>An API in-process watching a folder of its own, with links pointing out and very long names (issue #15).</summary>
public sealed class WatchedFolderApiFixture : ApiFixture
{
    public string Root { get; } = Directory.CreateTempSubdirectory("docextract-watched-").FullName;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        ["WatchedFolder:Path"] = Root,
        ["WatchedFolder:SettleTime"] = "00:00:00.2",
        ["WatchedFolder:RescanInterval"] = "00:00:00.5",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class Watching_a_folder_with_hostile_entries(WatchedFolderApiFixture api) : IClassFixture<WatchedFolderApiFixture>
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(30);

    private string Inbox => Path.Combine(api.Root, "inbox");

    [Fact]
    public async Task Links_out_of_the_inbox_are_neither_stored_nor_moved()
    {
        var outside = Directory.CreateTempSubdirectory("docextract-outside-").FullName;
        try
        {
            var payroll = Path.Combine(outside, "payroll.pdf");
            await File.WriteAllBytesAsync(payroll, TestPdfs.Invoice($"outside-{Guid.NewGuid()}"));
            Directory.CreateDirectory(Path.Combine(outside, "private"));
            var secret = Path.Combine(outside, "private", "secret.pdf");
            await File.WriteAllBytesAsync(secret, TestPdfs.Invoice($"outside-folder-{Guid.NewGuid()}"));
            Directory.CreateDirectory(Path.Combine(Inbox, "letter"));
            File.CreateSymbolicLink(Path.Combine(Inbox, "linked.pdf"), payroll);
            Directory.CreateSymbolicLink(Path.Combine(Inbox, "letter", "linked-folder"), Path.Combine(outside, "private"));
            Directory.CreateSymbolicLink(Path.Combine(Inbox, "loop"), Inbox);
            // A real file dropped after the links: once it is processed, the links have been scanned past.
            var real = TestPdfs.Invoice($"inside-{Guid.NewGuid()}");
            await File.WriteAllBytesAsync(Path.Combine(Inbox, "letter", "real.pdf"), real);

            await ProcessedNoteAsync("letter", "real.pdf");

            Assert.True(File.Exists(payroll));
            Assert.True(File.Exists(secret));
            Assert.True(File.Exists(Path.Combine(Inbox, "linked.pdf")));
            Assert.Empty(Directory.GetFiles(Path.Combine(api.Root, "processed"), "*secret*", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(Path.Combine(api.Root, "processed"), "*linked*", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(Path.Combine(api.Root, "failed"), "*", SearchOption.AllDirectories));
            Assert.Equal(0L, await api.Database.ScalarAsync<long>(
                "SELECT count(*) FROM documents WHERE file_name IN ('linked.pdf', 'secret.pdf', 'payroll.pdf')"));
        }
        finally
        {
            File.Delete(Path.Combine(Inbox, "linked.pdf"));
            Directory.Delete(Path.Combine(Inbox, "letter", "linked-folder"));
            Directory.Delete(Path.Combine(Inbox, "loop"));
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_240_character_name_reaches_processed_shortened_keeping_the_id_and_the_extension()
    {
        var name = new string('a', 236) + ".pdf";
        Assert.Equal(240, name.Length);
        await File.WriteAllBytesAsync(Path.Combine(Inbox, name), TestPdfs.Invoice($"long-name-{Guid.NewGuid()}"));

        var note = await ProcessedNoteAsync("", "aaaa");

        var id = Guid.Parse((await File.ReadAllTextAsync(note)).Trim());
        var moved = note[..^".docextract-id".Length];
        Assert.True(File.Exists(moved));
        Assert.False(File.Exists(Path.Combine(Inbox, name)));
        Assert.StartsWith($"{id}_aaaa", Path.GetFileName(moved), StringComparison.Ordinal);
        Assert.EndsWith(".pdf", moved, StringComparison.Ordinal);
        Assert.True(Path.GetFileName(note).Length <= InboxFileIntake.MaxNameBytes);
        Assert.Equal(name, await api.Database.ScalarAsync<string>("SELECT file_name FROM documents WHERE id = $1", id));
    }

    [Fact]
    public void A_name_of_multibyte_characters_is_cut_on_a_character_within_the_byte_limit()
    {
        var name = string.Concat(Enumerable.Repeat("é€😀", 40)) + ".pdf";

        var cut = InboxFileIntake.FolderName("0193d2a0-0000-7000-8000-000000000000_", name, " (2)", ".docextract-id");

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut + ".docextract-id") <= InboxFileIntake.MaxNameBytes);
        Assert.EndsWith(" (2).pdf", cut, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(cut)));
        Assert.Equal("0193d2a0-0000-7000-8000-000000000000_short.pdf",
            InboxFileIntake.FolderName("0193d2a0-0000-7000-8000-000000000000_", "short.pdf", "", ".docextract-id"));
    }

    /// <summary>The note of a file under processed/ whose name contains <paramref name="part"/>, once the file is there too.</summary>
    private Task<string> ProcessedNoteAsync(string subfolder, string part)
    {
        var folder = Path.Combine(api.Root, "processed", subfolder);
        return Eventually.WaitAsync(
            () => Task.FromResult(Directory.Exists(folder) &&
                Directory.GetFiles(folder, $"*_{part}*.docextract-id").SingleOrDefault() is { } note &&
                File.Exists(note[..^".docextract-id".Length])
                    ? note
                    : null),
            _patience, $"{part} to reach processed/");
    }
}
