using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

public sealed class Running_a_pdf_tool_under_limits : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-tools-").FullName;

    [Fact]
    public async Task A_tool_that_hangs_is_killed_at_the_timeout_and_the_document_fails_with_the_reason()
    {
        var hanging = Script("hang", "exec sleep 60");
        var extractor = Extractor(new TextExtractionOptions { PdftotextPath = hanging, ToolTimeout = TimeSpan.FromSeconds(1) });
        var started = DateTime.UtcNow;

        var failure = await Assert.ThrowsAsync<ToolTimeoutException>(() => extractor.ExtractAsync(Pdf(), CancellationToken.None));

        Assert.Contains("did not finish within 1 s", failure.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the tool was not killed");
    }

    [Fact]
    public async Task A_tool_over_the_memory_limit_fails_instead_of_taking_the_worker_down()
    {
        // python3 allocates 512 MB under a 256 MB address-space limit.
        var greedy = Script("greedy", "exec python3 -c 'x = bytearray(512 * 1024 * 1024)'");
        var extractor = Extractor(new TextExtractionOptions { PdftotextPath = greedy, ToolMemoryBytes = 256L * 1024 * 1024 });

        var failure = await Assert.ThrowsAnyAsync<PermanentExtractionException>(() => extractor.ExtractAsync(Pdf(), CancellationToken.None));

        Assert.Contains("pdftotext", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_cannot_reach_the_network_that_the_worker_reaches()
    {
        // PostgreSQL listens on loopback for the tests: the worker's network namespace reaches it, a tool's must not.
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", 5432);
        }
        var probe = Script("probe", "exec bash -c 'if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then echo connected; else echo isolated; fi; printf \"\\f\"'");

        var text = await Extractor(new TextExtractionOptions { PdftotextPath = probe }).ExtractAsync(Pdf(), CancellationToken.None);

        Assert.True(ToolRunner.IsolatesNetwork, "unshare --net is not permitted on this machine");
        Assert.Equal("isolated", text.Pages.Single().Text);
    }

    [Fact]
    public async Task Too_many_pages_fail_naming_the_count_and_the_limit()
    {
        var extractor = Extractor(new TextExtractionOptions { MaxPages = 2 });
        var path = Path.Combine(_folder, "three.pdf");
        await File.WriteAllBytesAsync(path, TestPdfs.WithPages("one", "two", "three"));

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() => extractor.ExtractAsync(path, CancellationToken.None));

        Assert.Equal("the document has more than 2 pages, the limit (TextExtraction:MaxPages)", failure.Message);
    }

    [Fact]
    public async Task A_missing_tool_is_a_fault_of_the_installation_not_of_the_document()
    {
        var extractor = Extractor(new TextExtractionOptions { PdftotextPath = "/nonexistent/pdftotext" });

        var failure = await Assert.ThrowsAsync<ToolMissingException>(() => extractor.ExtractAsync(Pdf(), CancellationToken.None));

        Assert.Contains("scripts/setup.sh", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_pages_come_back_in_order_with_their_text()
    {
        var path = Path.Combine(_folder, "pages.pdf");
        await File.WriteAllBytesAsync(path, TestPdfs.WithPages("first page (a)", "second \\ page", "third page"));

        var text = await Extractor(new TextExtractionOptions()).ExtractAsync(path, CancellationToken.None);

        Assert.Equal(["first page (a)", "second \\ page", "third page"], text.Pages.Select(p => p.Text));
        Assert.All(text.Pages, p => Assert.Equal(PdfTextExtractor.TextLayerSource, p.Source));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PdfTextExtractor Extractor(TextExtractionOptions options) => PdfTextExtractor.Create(options);

    private string Pdf()
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, TestPdfs.Invoice("limits"));
        return path;
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
