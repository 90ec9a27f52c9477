using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

public sealed class Reading_scanned_pages : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-ocr-tests-").FullName;

    [Fact]
    public async Task A_mixed_document_gets_ocr_for_its_scanned_page_and_the_text_layer_for_the_rest()
    {
        var digital = Path.Combine(_folder, "digital.pdf");
        await File.WriteAllBytesAsync(digital, TestPdfs.WithPages("A digital page with its own text layer"));
        var mixed = Path.Combine(_folder, "mixed.pdf");
        await RunAsync("pdfunite", CorpusCase.Named("docling_ocr_test.pdf").Path, digital, mixed);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(mixed, CancellationToken.None);

        Assert.Equal([PageOcr.Source, PdfTextExtractor.TextLayerSource], text.Pages.Select(p => p.Source));
        Assert.Contains("Docling bundles PDF document conversion to", text.Pages[0].Text, StringComparison.Ordinal);
        Assert.Equal("A digital page with its own text layer", text.Pages[1].Text);
        Assert.Equal("poppler-pdftotext+tesseract", text.Engine);
    }

    [Fact]
    public async Task A_short_page_without_images_keeps_its_text_layer()
    {
        var path = Path.Combine(_folder, "short.pdf");
        await File.WriteAllBytesAsync(path, TestPdfs.WithPages("Page 7", ""));

        var text = await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(path, CancellationToken.None);

        Assert.Equal(["Page 7", ""], text.Pages.Select(p => p.Text));
        Assert.All(text.Pages, p => Assert.Equal(PdfTextExtractor.TextLayerSource, p.Source));
    }

    [Fact]
    public async Task Ocr_that_outlasts_the_document_limit_fails_the_document_naming_the_setting()
    {
        var hanging = Path.Combine(_folder, "tesseract");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 60\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var extractor = PdfTextExtractor.Create(new TextExtractionOptions { TesseractPath = hanging, DocumentTimeout = TimeSpan.FromSeconds(2) });
        var started = DateTime.UtcNow;

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(
            () => extractor.ExtractAsync(CorpusCase.Named("docling_ocr_test.pdf").Path, CancellationToken.None));

        Assert.Equal("the text of the document took longer than 2 s, the limit (TextExtraction:DocumentTimeout)", failure.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the hanging tesseract was not killed");
    }

    [Fact]
    public void An_image_turned_four_quarter_turns_is_the_same_image_and_one_quarter_turn_moves_the_corner()
    {
        // 3 wide, 2 high:  1 2 3 / 4 5 6
        var image = new Pgm(3, 2, [1, 2, 3, 4, 5, 6]);

        var quarter = image.RotateClockwise(90);

        Assert.Equal((2, 3), (quarter.Width, quarter.Height));
        Assert.Equal([4, 1, 5, 2, 6, 3], quarter.Pixels);
        Assert.Equal([6, 5, 4, 3, 2, 1], image.RotateClockwise(180).Pixels);
        Assert.Equal([3, 6, 2, 5, 1, 4], image.RotateClockwise(270).Pixels);
        Assert.Equal(image.Pixels, quarter.RotateClockwise(90).RotateClockwise(180).Pixels);
        Assert.Equal(image.Pixels, Pgm.Parse(image.ToBytes())!.Pixels);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(tool, arguments);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
