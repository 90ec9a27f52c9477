using DocExtract.TestSupport;
using DocExtract.TestSupport.Corpus;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

/// <summary>Issue #4 through real API and worker processes: scans are OCRed, and a PDF that hangs a tool fails alone.</summary>
public sealed class Processing_scans_and_hostile_pdfs_end_to_end : IAsyncLifetime
{
    private readonly BareService _service = new();
    private readonly string _tool = Path.Combine(Path.GetTempPath(), $"hanging-pdftotext-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        await _service.InitializeAsync();
        // The real pdftotext, except for a PDF that carries the marker: that one hangs it, as a hostile file could.
        await File.WriteAllTextAsync(_tool,
            "#!/bin/sh\nfor arg; do if [ -f \"$arg\" ] && grep -q HANG-THE-TOOL \"$arg\"; then exec sleep 60; fi; done\nexec pdftotext \"$@\"\n");
        File.SetUnixFileMode(_tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await _service.StartApiAsync();
        _service.StartWorker(new Dictionary<string, string?>
        {
            ["TextExtraction:PdftotextPath"] = _tool,
            ["TextExtraction:ToolTimeout"] = "00:00:03",
        });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        File.Delete(_tool);
    }

    [Fact]
    public async Task A_scanned_pdf_succeeds_with_its_pages_read_by_ocr()
    {
        var scan = CorpusCase.Named("docling_ocr_test_rotated_180.pdf");

        var id = await _service.UploadAsync(await File.ReadAllBytesAsync(scan.Path), scan.Name);
        var document = await _service.WaitForTerminalAsync(id, TimeSpan.FromSeconds(120));

        Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
        var page = (await _service.ResultAsync(id)).GetProperty("pages").EnumerateArray().Single();
        Assert.Equal("ocr", page.GetProperty("source").GetString());
        Assert.Empty(scan.MissingSnippets(page.GetProperty("text").GetString()!));
    }

    [Fact]
    public async Task A_pdf_that_hangs_a_tool_fails_with_the_reason_and_the_worker_goes_on_to_the_next()
    {
        var hostile = await _service.UploadAsync(TestPdfs.WithPages("HANG-THE-TOOL"), "hostile.pdf");
        var next = await _service.UploadAsync(TestPdfs.Invoice($"after-hostile-{Guid.NewGuid()}"), "next.pdf");

        var failed = await _service.WaitForTerminalAsync(hostile);
        var succeeded = await _service.WaitForTerminalAsync(next);

        Assert.True(failed.GetProperty("status").GetString() == "failed", _service.Logs);
        Assert.Contains("did not finish within 3 s", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.True(succeeded.GetProperty("status").GetString() == "succeeded", _service.Logs);
    }
}
