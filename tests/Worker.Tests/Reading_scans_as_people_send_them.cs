using System.Diagnostics;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Scans generated here (a digital page rendered by pdftoppm, then wrapped as an image-only page, as a scanner
/// makes it), read with the worker's defaults: the language chosen from the scan, the resolution from the image,
/// orientation only when Tesseract is sure (#14).
/// </summary>
public sealed class Reading_scans_as_people_send_them : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-scans-").FullName;

    [Fact]
    public async Task A_french_scan_is_read_in_french_chosen_from_a_trial_of_the_installed_packs()
    {
        var scan = await ScanAsync("french.pdf",
            "Facture de l'été\nLe prix à payer reste élevé pour les réparations du château.\n" +
            "Veuillez régler la facture dès réception, à l'ordre de la société.\nMerci de votre confiance et à très bientôt.",
            width: 420, height: 200, fontSize: 11, dpi: 300);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(scan, CancellationToken.None);

        var page = text.Pages.Single();
        Assert.Equal(PageOcr.Source, page.Source);
        Assert.Equal("fra", page.Ocr!.Languages);
        Assert.Equal(300, page.Ocr.Dpi);
        Assert.False(page.Ocr.LowConfidence);
        Assert.All(["été", "réparations du château", "dès réception", "société"], words => Assert.Contains(words, page.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tiny_card_scanned_at_high_resolution_is_rendered_at_its_own_resolution_and_read()
    {
        // 2 x 1.5 inches, 5-point type, scanned at 600 dpi: at a fixed 200 dpi it became 400 x 300 pixels.
        var scan = await ScanAsync("card.pdf", "ACME Werkzeuge GmbH\nAnna Schmidt, Einkauf\nTel 030 1234567",
            width: 144, height: 108, fontSize: 5, dpi: 600);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(scan, CancellationToken.None);

        var page = text.Pages.Single();
        Assert.Equal(600, page.Ocr!.Dpi);
        Assert.All(["ACME Werkzeuge GmbH", "Anna Schmidt", "030 1234567"], words => Assert.Contains(words, page.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(600, 144, 108, 600)] // a 2 x 1.5 inch card scanned at 600 ppi: all its pixels
    [InlineData(600, 595, 842, 203)] // an A4 page scanned at 600 ppi: about 4 million pixels, as A4 at 200 dpi
    [InlineData(150, 595, 842, 200)] // a coarse scan: never below OcrMinDpi
    [InlineData(300, 842, 1191, 200)] // A3: OcrMinDpi wins over the pixel budget
    [InlineData(1200, 144, 108, 600)] // never above OcrMaxDpi
    public void The_rendering_resolution_follows_the_scan_within_the_bounds(double ppi, double width, double height, int dpi)
    {
        Assert.Equal(dpi, PageOcr.ChooseDpi(new TextExtractionOptions(), ppi, (width, height)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(-5)]
    public async Task A_skewed_scan_is_straightened_and_keeps_its_title_line_whole(double degrees)
    {
        // Unstraightened, Tesseract split the lines of a page turned 3 degrees or more into two columns (#14).
        var scan = await SkewedReportAsync($"skewed{degrees}.pdf", degrees);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng" }).ExtractAsync(scan, CancellationToken.None);

        var page = text.Pages.Single();
        Assert.Contains("Quarterly report for the northern region", page.Text, StringComparison.Ordinal);
        Assert.True(page.Ocr!.Deskewed);
        Assert.InRange(Math.Abs(page.Ocr.Skew!.Value), Math.Abs(degrees) - 1, Math.Abs(degrees) + 1);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public async Task Without_straightening_a_skewed_scan_loses_its_title_line(double degrees)
    {
        // The other side of the test above: what the straightening buys.
        var scan = await SkewedReportAsync($"skewed-plain{degrees}.pdf", degrees);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng", OcrDeskew = false }).ExtractAsync(scan, CancellationToken.None);

        Assert.DoesNotContain("Quarterly report for the northern region", text.Pages.Single().Text, StringComparison.Ordinal);
        Assert.Null(text.Pages.Single().Ocr!.Skew);
    }

    [Fact]
    public async Task A_truly_turned_page_is_turned_and_the_decision_recorded_but_not_below_the_threshold()
    {
        var turned = CorpusCase.Named("docling_ocr_test_rotated_180.pdf").Path;

        var sure = await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng" }).ExtractAsync(turned, CancellationToken.None);
        var doubtful = await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng", OcrRotationMinConfidence = 10 })
            .ExtractAsync(turned, CancellationToken.None);

        Assert.Equal((180, true), (sure.Pages[0].Ocr!.Rotation, sure.Pages[0].Ocr!.Rotated));
        // An A4 page scanned at 600 ppi, rendered within OcrMaxPagePixels (pdfinfo's page size).
        Assert.Equal(203, sure.Pages[0].Ocr!.Dpi);
        Assert.InRange(sure.Pages[0].Ocr!.RotationConfidence!.Value, 2.0, 10.0);
        Assert.Contains("Docling bundles PDF document conversion to", sure.Pages[0].Text, StringComparison.Ordinal);
        Assert.Equal((180, false), (doubtful.Pages[0].Ocr!.Rotation, doubtful.Pages[0].Ocr!.Rotated));
    }

    [Fact]
    public async Task A_scan_with_a_stray_text_layer_that_ocr_cannot_read_keeps_the_layer_and_says_so()
    {
        // Noise that Tesseract finds no word in, under a text layer holding only a date.
        var random = new Random(14);
        var noise = new byte[300 * 200];
        random.NextBytes(noise);
        var pgm = new byte[][] { "P5\n300 200\n255\n"u8.ToArray(), noise }.SelectMany(b => b).ToArray();
        var path = Path.Combine(_folder, "stray.pdf");
        await File.WriteAllBytesAsync(path, TestPdfs.Scan(pgm, 216, 144, textLayer: "12.03.2024"));

        var text = await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng+deu" }).ExtractAsync(path, CancellationToken.None);

        var page = text.Pages.Single();
        Assert.Equal(("12.03.2024", PdfTextExtractor.TextLayerSource), (page.Text, page.Source));
        Assert.True(page.Ocr!.KeptTextLayer);
        Assert.Contains(text.Notes, n => n.StartsWith("page 1: OCR", StringComparison.Ordinal) && n.Contains("its own text layer was kept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_language_that_is_not_installed_fails_naming_the_installed_ones()
    {
        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() => PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng+fra" })
            .ExtractAsync(CorpusCase.Named("docling_ocr_test.pdf").Path, new TextRequest("fra+klingon"), CancellationToken.None));

        Assert.Equal("the OCR language klingon is not installed; the installed ones are eng, fra (TextExtraction:OcrLanguages)", failure.Message);
    }

    [Fact]
    public async Task A_scan_longer_than_the_ocr_budget_fails_before_any_page_is_ocred()
    {
        var hanging = Path.Combine(_folder, "tesseract");
        await File.WriteAllTextAsync(hanging, "#!/bin/sh\nexec sleep 60\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var extractor = PdfTextExtractor.Create(new TextExtractionOptions { TesseractPath = hanging, OcrMaxPages = 3 });
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(
            () => extractor.ExtractAsync(CorpusCase.Named("docling_nemotron_multipage.pdf").Path, CancellationToken.None));

        Assert.StartsWith("the document has 4 pages to OCR, more than 3, the limit (TextExtraction:OcrMaxPages)", failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "OCR started before the budget was checked");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The text's page rendered at `dpi` and wrapped as an image of the same page size: a scan at that resolution.
    // A small report page turned by the given degrees, scanned at 200 dpi.
    private Task<string> SkewedReportAsync(string name, double degrees) => ScanAsync(name,
        "Quarterly report for the northern region\nSales grew in every month of the quarter.\nThe warehouse moved to larger premises.",
        width: 420, height: 200, fontSize: 11, dpi: 200, degrees: degrees);

    private async Task<string> ScanAsync(string name, string text, double width, double height, double fontSize, int dpi, double degrees = 0)
    {
        var original = Path.Combine(_folder, "original-" + name);
        await File.WriteAllBytesAsync(original, TestPdfs.Page(text, width, height, fontSize, degrees));
        var start = new ProcessStartInfo("pdftoppm", ["-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-gray", original])
        {
            RedirectStandardOutput = true,
        };
        using var render = Process.Start(start)!;
        using var image = new MemoryStream();
        await render.StandardOutput.BaseStream.CopyToAsync(image);
        await render.WaitForExitAsync();
        Assert.Equal(0, render.ExitCode);
        var path = Path.Combine(_folder, name);
        await File.WriteAllBytesAsync(path, TestPdfs.Scan(image.ToArray(), width, height));
        return path;
    }
}
