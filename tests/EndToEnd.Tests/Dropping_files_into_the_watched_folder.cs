using System.Security.Cryptography;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>A real API process watching a temporary folder (issue #4): every file dropped ends somewhere visible.</summary>
public sealed class Dropping_files_into_the_watched_folder : IAsyncLifetime
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(60);
    private readonly BareService _service = new();
    private readonly string _root = Directory.CreateTempSubdirectory("docextract-watched-").FullName;

    private string Inbox => Path.Combine(_root, "inbox");

    public async Task InitializeAsync()
    {
        await _service.InitializeAsync();
        Directory.CreateDirectory(Inbox);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_pdf_is_stored_queued_and_moved_to_processed_beside_its_document_id()
    {
        await StartApiAsync();
        var pdf = TestPdfs.Invoice($"watched-{Guid.NewGuid()}");

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "letter.pdf"), pdf);
        var id = await ProcessedIdAsync("", "letter.pdf");

        Assert.False(File.Exists(Path.Combine(Inbox, "letter.pdf")));
        Assert.Equal(Sha256(pdf), await _service.Database.ScalarAsync<string>("SELECT file_sha256 FROM documents WHERE id = $1", id));
        Assert.Equal("watched-folder", await _service.Database.ScalarAsync<string>("SELECT source FROM documents WHERE id = $1", id));
        Assert.Equal("auto", await _service.Database.ScalarAsync<string>("SELECT requested_schema FROM documents WHERE id = $1", id));
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE payload->>'DocumentId' = $1", id.ToString()));
    }

    [Fact]
    public async Task A_file_belongs_to_the_folders_tenant_and_is_audited_as_the_folders_upload()
    {
        var settings = WatchedSettings(keepOriginals: false);
        settings["WatchedFolder:Tenant"] = "scanroom";
        await _service.StartApiAsync(settings);

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "scan.pdf"), TestPdfs.Invoice($"tenant-{Guid.NewGuid()}"));
        var id = await ProcessedIdAsync("", "scan.pdf");

        Assert.Equal("scanroom", await _service.Database.ScalarAsync<string>("SELECT tenant_id FROM documents WHERE id = $1", id));
        Assert.Equal("watched-folder", await _service.Database.ScalarAsync<string>(
            "SELECT actor FROM audit_log WHERE document_id = $1 AND action = 'document.uploaded' AND tenant_id = 'scanroom'", id));
        // The service's own key is the default tenant's: the folder's document is not its to see.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _service.Http.GetAsync($"/documents/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_subfolder_names_the_document_type_and_an_unknown_one_fails_with_the_reason()
    {
        await StartApiAsync();
        Directory.CreateDirectory(Path.Combine(Inbox, "invoice"));
        Directory.CreateDirectory(Path.Combine(Inbox, "invoices-typo"));

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "invoice", "a.pdf"), TestPdfs.Invoice($"typed-{Guid.NewGuid()}"));
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "invoices-typo", "b.pdf"), TestPdfs.Invoice($"typo-{Guid.NewGuid()}"));
        var id = await ProcessedIdAsync("invoice", "a.pdf");
        var reason = await ErrorAsync(Path.Combine("invoices-typo", "b.pdf"));

        Assert.Equal("invoice", await _service.Database.ScalarAsync<string>("SELECT requested_schema FROM documents WHERE id = $1", id));
        Assert.StartsWith("unknown document type 'invoices-typo' (the inbox subfolder): use 'auto' or one of", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_that_are_not_pdfs_go_to_failed_with_the_reason_and_temporary_files_are_left_alone()
    {
        await StartApiAsync();

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "report.docx"), [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]);
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "empty.pdf"), []);
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "download.pdf.part"), TestPdfs.Invoice("partial"));
        await File.WriteAllBytesAsync(Path.Combine(Inbox, ".~lock.report.docx#"), [1, 2, 3]);

        Assert.Equal(@"the file is not a PDF: it starts with 'PK\x03\x04\x14\x00' (a ZIP archive, e.g. a .docx, .xlsx or .zip)",
            await ErrorAsync("report.docx"));
        Assert.Equal("the file is empty (0 bytes)", await ErrorAsync("empty.pdf"));
        Assert.True(File.Exists(Path.Combine(Inbox, "download.pdf.part")));
        Assert.True(File.Exists(Path.Combine(Inbox, ".~lock.report.docx#")));
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task The_same_bytes_under_another_name_go_to_duplicates_naming_the_first_document()
    {
        await StartApiAsync();
        var pdf = TestPdfs.Invoice($"twice-{Guid.NewGuid()}");
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "first.pdf"), pdf);
        var id = await ProcessedIdAsync("", "first.pdf");

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "second.pdf"), pdf);
        var note = Path.Combine(_root, "duplicates", "second.pdf.duplicate-of.txt");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(note) ? "moved" : null), _patience, "second.pdf to reach duplicates/");

        Assert.Contains(id.ToString(), await File.ReadAllTextAsync(note), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "duplicates", "second.pdf")));
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task A_file_still_open_for_writing_is_taken_only_once_its_writer_has_finished()
    {
        var api = await StartApiAsync();
        var pdf = TestPdfs.Invoice($"slow-writer-{Guid.NewGuid()}");
        var path = Path.Combine(Inbox, "scanner-output.pdf");

        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            await writer.WriteAsync(pdf.AsMemory(0, pdf.Length / 2));
            await writer.FlushAsync();
            // The scanner found size and mtime stable for the settle time: only the open writer keeps the file in the inbox.
            await api.WaitForOutputAsync("scanner-output.pdf has settled but a process here still has it open for writing", _patience);
            Assert.True(File.Exists(path), "a half-written file was taken while its writer held it open");
            Assert.Equal(0L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
            await writer.WriteAsync(pdf.AsMemory(pdf.Length / 2));
        }
        var id = await ProcessedIdAsync("", "scanner-output.pdf");

        Assert.Equal(Sha256(pdf), await _service.Database.ScalarAsync<string>("SELECT file_sha256 FROM documents WHERE id = $1", id));
    }

    [Fact]
    public async Task Files_dropped_while_the_service_was_down_are_taken_at_start()
    {
        var api = await StartApiAsync();
        await api.KillAsync();

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "while-down.pdf"), TestPdfs.Invoice($"down-{Guid.NewGuid()}"));
        await StartApiAsync();

        await ProcessedIdAsync("", "while-down.pdf");
    }

    [Fact]
    public async Task A_file_stored_but_not_moved_before_a_crash_is_moved_to_processed_without_a_second_document()
    {
        await StartApiAsync();
        var pdf = TestPdfs.Invoice($"recovered-{Guid.NewGuid()}");
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "stored.pdf"), pdf);
        var id = await ProcessedIdAsync("", "stored.pdf");
        // As after a crash between the commit and the move: the stored file is back in the inbox, same path and bytes.
        foreach (var file in Directory.GetFiles(Path.Combine(_root, "processed")))
        {
            File.Delete(file);
        }

        await File.WriteAllBytesAsync(Path.Combine(Inbox, "stored.pdf"), pdf);

        Assert.Equal(id, await ProcessedIdAsync("", "stored.pdf"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "duplicates")));
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    [Fact]
    public async Task A_file_stays_in_the_inbox_while_postgresql_is_unreachable_and_is_taken_once_it_is_back()
    {
        // An API whose database is unreachable (a closed port stands in for a stopped PostgreSQL, without stopping
        // the server other tests share): the file must not leave the inbox, since nothing is committed.
        var cut = await _service.StartApiAsync(new Dictionary<string, string?>(WatchedSettings(keepOriginals: false))
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=docextract;Username=docextract;Password=docextract;Timeout=2",
        });
        var path = Path.Combine(Inbox, "during-outage.pdf");
        await File.WriteAllBytesAsync(path, TestPdfs.Invoice($"outage-{Guid.NewGuid()}"));
        await cut.WaitForOutputAsync("could not be taken now", _patience);
        Assert.True(File.Exists(path), "the file left the inbox although nothing was stored");
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "failed"), "*", SearchOption.AllDirectories));

        await cut.KillAsync();
        await StartApiAsync();

        var id = await ProcessedIdAsync("", "during-outage.pdf");
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE id = $1", id));
    }

    [Fact]
    public async Task Keeping_originals_takes_each_file_once_across_a_restart_and_keeps_its_fate_in_the_ledger()
    {
        var api = await StartApiAsync(keepOriginals: true);
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "kept.pdf"), TestPdfs.Invoice($"kept-{Guid.NewGuid()}"));
        await File.WriteAllTextAsync(Path.Combine(Inbox, "notes.txt"), "not a pdf");
        await LedgerRowsAsync(2);
        var firstTaken = await _service.Database.ScalarAsync<DateTime>("SELECT max(taken_at) FROM watched_files");

        await api.KillAsync();
        await File.WriteAllBytesAsync(Path.Combine(Inbox, "while-down.pdf"), TestPdfs.Invoice($"kept-down-{Guid.NewGuid()}"));
        await StartApiAsync(keepOriginals: true);
        await LedgerRowsAsync(3);
        // The pass that took the new file, then rescans spanning more than a settle time: an old file offered again
        // would have been seen afresh, found settled and taken a second time in them.
        var scans = await ScansAsync();
        await Eventually.WaitAsync(async () => await ScansAsync() >= scans + 4 ? "scanned" : null, _patience, "four more passes over the inbox");

        Assert.Equal(["kept.pdf", "notes.txt", "while-down.pdf"], Directory.GetFiles(Inbox).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "processed")));
        Assert.Equal(2L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
        Assert.Equal("processed", await _service.Database.ScalarAsync<string>("SELECT fate FROM watched_files WHERE path = 'kept.pdf'"));
        Assert.Equal("failed", await _service.Database.ScalarAsync<string>("SELECT fate FROM watched_files WHERE path = 'notes.txt'"));
        Assert.StartsWith("the file is not a PDF", await _service.Database.ScalarAsync<string>("SELECT reason FROM watched_files WHERE path = 'notes.txt'"), StringComparison.Ordinal);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM watched_files WHERE taken_at > $1", firstTaken));
    }

    private Task<ServiceProcess> StartApiAsync(bool keepOriginals = false) => _service.StartApiAsync(WatchedSettings(keepOriginals));

    // Rescans as often as files settle, so that a test waiting for passes of the scanner waits about two seconds for four.
    private Dictionary<string, string?> WatchedSettings(bool keepOriginals) => new()
    {
        ["WatchedFolder:Path"] = _root,
        ["WatchedFolder:SettleTime"] = "00:00:00.5",
        ["WatchedFolder:RescanInterval"] = "00:00:00.5",
        ["WatchedFolder:KeepOriginals"] = keepOriginals ? "true" : "false",
    };

    /// <summary>The passes over the inbox the API has completed, from its /metrics (0 before the first).</summary>
    private async Task<double> ScansAsync()
    {
        const string Series = "docextract_watched_folder_scans_total";
        var text = await _service.Http.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(Series, StringComparison.Ordinal) && line.Length > Series.Length && line[Series.Length] is ' ' or '{')
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private Task LedgerRowsAsync(long count) => Eventually.WaitAsync(
        async () => await _service.Database.ScalarAsync<long>("SELECT count(*) FROM watched_files") >= count ? "recorded" : null,
        _patience, $"{count} files in the ledger\n{_service.Logs}");

    /// <summary>The id written beside the file once it reached processed/.</summary>
    private async Task<Guid> ProcessedIdAsync(string subfolder, string name)
    {
        var folder = Path.Combine(_root, "processed", subfolder);
        // The service writes the note before it moves the file: wait for both, or a loaded machine sees the gap.
        var idFile = await Eventually.WaitAsync(
            () => Task.FromResult(Directory.Exists(folder) &&
                Directory.GetFiles(folder, $"*_{name}.docextract-id").SingleOrDefault() is { } note &&
                File.Exists(note[..^".docextract-id".Length])
                    ? note
                    : null),
            _patience, $"{name} to reach processed/\n{_service.Logs}");
        var id = Guid.Parse((await File.ReadAllTextAsync(idFile!)).Trim());
        Assert.True(File.Exists(Path.Combine(folder, $"{id}_{name}")));
        return id;
    }

    private async Task<string> ErrorAsync(string relative)
    {
        var error = Path.Combine(_root, "failed", $"{relative}.error.txt");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(error) && File.Exists(Path.Combine(_root, "failed", relative)) ? "moved" : null),
            _patience, $"{relative} to reach failed/");
        Assert.True(File.Exists(Path.Combine(_root, "failed", relative)));
        return (await File.ReadAllTextAsync(error)).Trim();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
