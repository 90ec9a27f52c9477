namespace DocExtract.Schemas.Tests.Catalog;

public sealed class A_schema_folder_changing_while_running : IDisposable
{
    private readonly SchemaFolder _folder = new("invoice");
    private readonly SchemaCatalog _catalog;

    public A_schema_folder_changing_while_running() => _catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });

    [Fact]
    public async Task Picks_up_an_added_file_on_the_next_lookup()
    {
        Assert.Null(await _catalog.FindAsync("letter"));

        _folder.Write("letter.json", TestFiles.Schema("letter"));

        Assert.Equal("Letter", (await _catalog.FindAsync("letter"))?.Title);
    }

    [Fact]
    public async Task Picks_up_an_edited_file_as_a_new_version()
    {
        var before = await _catalog.FindAsync("invoice");

        _folder.Write("invoice.json", TestFiles.Schema("invoice").Replace("\"title\": \"Invoice\"", "\"title\": \"Rechnung\"", StringComparison.Ordinal));

        var after = await _catalog.FindAsync("invoice");
        Assert.Equal("Rechnung", after!.Title);
        Assert.NotEqual(before!.Version, after.Version);
    }

    [Fact]
    public async Task Drops_a_removed_file()
    {
        Assert.NotNull(await _catalog.FindAsync("invoice"));

        _folder.Delete("invoice.json");

        Assert.Null(await _catalog.FindAsync("invoice"));
    }

    [Fact]
    public async Task Keeps_the_same_snapshot_while_nothing_changes()
    {
        var first = await _catalog.GetSnapshotAsync();

        Assert.Same(first, await _catalog.GetSnapshotAsync());
    }

    // Same size and write time as before: only the file watcher can tell.
    [Fact]
    public async Task Notices_a_rewrite_that_keeps_size_and_write_time()
    {
        var path = Path.Combine(_folder.Path, "invoice.json");
        var written = File.GetLastWriteTimeUtc(path);
        Assert.Equal("Invoice", (await _catalog.FindAsync("invoice"))!.Title);

        _folder.Write("invoice.json", TestFiles.Schema("invoice").Replace("\"title\": \"Invoice\"", "\"title\": \"INVOICE\"", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, written);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _catalog.FindAsync("invoice"))!.Title != "INVOICE" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("INVOICE", (await _catalog.FindAsync("invoice"))!.Title);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _folder.Dispose();
    }
}
