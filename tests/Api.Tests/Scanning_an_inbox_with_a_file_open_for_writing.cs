using DocExtract.Api.WatchedFolder;

namespace DocExtract.Api.Tests;

/// <summary>
/// A file whose size and modification time have settled while a process here still writes to it (a scanner pausing
/// between pages): it is not offered, the operator is told why once, and it is offered once the writer closes it.
/// </summary>
public sealed class Scanning_an_inbox_with_a_file_open_for_writing : IDisposable
{
    private readonly string _inbox = Directory.CreateTempSubdirectory("docextract-writer-").FullName;
    private readonly ListLogger _log = new();

    public void Dispose() => Directory.Delete(_inbox, recursive: true);

    [Fact]
    public async Task Is_held_back_and_reported_once_until_its_writer_closes_it()
    {
        var path = Path.Combine(_inbox, "scanner-output.pdf");
        var scanner = new InboxScanner(_inbox, TimeSpan.Zero, TimeProvider.System, _log);

        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            await writer.WriteAsync("%PDF-1.7 first page"u8.ToArray());
            await writer.FlushAsync();
            for (var pass = 0; pass < 3; pass++)
            {
                Assert.Empty(scanner.Scan().Ready);
            }
        }

        Assert.Equal(["Watched folder: scanner-output.pdf has settled but a process here still has it open for writing; it is taken once closed"],
            _log.Information);
        Assert.Equal([path], scanner.Scan().Ready);
    }
}
