using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Every page's words with their boxes (#13), placed on the offsets of pages[].text and boxed in the frame of the page
/// as pdftoppm renders it, checked against that rendering's ink and against the same scan read upright.
/// </summary>
public sealed class Boxing_words_on_the_rendered_page : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-boxes-").FullName;

    [Fact]
    public async Task A_corpus_receipts_words_are_placed_in_its_text_and_boxed_on_their_ink()
    {
        var pdf = CorpusCase.Named("inv2data_oyo.pdf").Path;

        var page = (await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(pdf, CancellationToken.None)).Pages[0];

        var words = page.Words!;
        var tokens = page.Text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(words.Count, tokens * 95 / 100, tokens * 2);
        Assert.All(words, w => Assert.False(string.IsNullOrWhiteSpace(page.Text[w.Start..w.End])));
        var image = await Ink.RenderAsync(pdf);
        var off = words.Where(w => !Ink.Fills(image, w)).Select(w => $"{page.Text[w.Start..w.End]} {w}").ToList();
        Assert.True(off.Count <= words.Count / 20, $"{off.Count} of {words.Count} word boxes are off their ink: {string.Join(", ", off)}");
        var evidence = EvidenceFinder.FindText("IBZY2087", [page])!;
        var box = Assert.Single(evidence.Boxes);
        Assert.True(Ink.Fills(image, box.X0, box.Y0, box.X1, box.Y1));
        // The booking id is printed in the upper half of the receipt.
        Assert.InRange(box.Y1, 0, 0.5);
    }

    [Fact]
    public async Task A_page_turned_by_its_rotate_entry_is_boxed_as_rendered_turned()
    {
        var pdf = CorpusCase.Named("pdfpig_SinglePage90ClockwiseRotation.pdf").Path;

        var page = (await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(pdf, CancellationToken.None)).Pages[0];

        var image = await Ink.RenderAsync(pdf);
        Assert.True(image.Width > image.Height, "/Rotate 90 renders an A4 page landscape");
        Assert.Equal(page.Text.Split((char[])[' ', '\n']).Length, page.Words!.Count);
        Assert.All(page.Words, w => Assert.True(Ink.Fills(image, w), $"{page.Text[w.Start..w.End]} {w} is off its ink"));
        // "Hello" runs down the page near the top, right of the middle: a box taller than wide on the landscape page.
        var hello = page.Words[0];
        Assert.Equal("Hello", page.Text[hello.Start..hello.End]);
        Assert.True((hello.Y1 - hello.Y0) * image.Height > (hello.X1 - hello.X0) * image.Width);
        Assert.InRange(hello.X0, 0.55, 0.7);
        Assert.InRange(hello.Y0, 0, 0.1);
    }

    [Theory]
    [InlineData("docling_ocr_test_rotated_180.pdf")]
    [InlineData("docling_ocr_test_rotated_90.pdf")]
    public async Task A_turned_scans_boxes_are_the_upright_scans_turned_as_the_page_is_rendered(string turned)
    {
        var options = new TextExtractionOptions { OcrLanguages = "eng" };
        var upright = (await PdfTextExtractor.Create(options).ExtractAsync(CorpusCase.Named("docling_ocr_test.pdf").Path, CancellationToken.None)).Pages[0];
        var path = CorpusCase.Named(turned).Path;

        var page = (await PdfTextExtractor.Create(options).ExtractAsync(path, CancellationToken.None)).Pages[0];

        Assert.True(page.Ocr!.Rotated);
        var image = await Ink.RenderAsync(path, dpi: 72);
        Assert.All(page.Words!, w => Assert.True(Ink.Fills(image, w), $"{page.Text[w.Start..w.End]} {w} is off its ink"));
        var (was, now) = (Word(upright, "Docling"), Word(page, "Docling"));
        // /Rotate 180 turns the page half round; the "90" file carries /Rotate 270: a quarter turn counter-clockwise.
        var expected = turned.Contains("180", StringComparison.Ordinal)
            ? (1 - was.X1, 1 - was.Y1, 1 - was.X0, 1 - was.Y0)
            : (was.Y0, 1 - was.X1, was.Y1, 1 - was.X0);
        Assert.Equal(expected.Item1, now.X0, 0.01);
        Assert.Equal(expected.Item2, now.Y0, 0.01);
        Assert.Equal(expected.Item3, now.X1, 0.01);
        Assert.Equal(expected.Item4, now.Y1, 0.01);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-4)]
    public async Task A_skewed_scans_boxes_are_carried_back_through_the_straightening(double degrees)
    {
        var original = Path.Combine(_folder, $"original{degrees}.pdf");
        await File.WriteAllBytesAsync(original, TestPdfs.Page(
            "Quarterly report for the northern region\nSales grew in every month of the quarter.\nThe warehouse moved to larger premises.",
            420, 200, 11, degrees));
        var scan = Path.Combine(_folder, $"scan{degrees}.pdf");
        await File.WriteAllBytesAsync(scan, TestPdfs.Scan((await Ink.RenderAsync(original, dpi: 200)).ToBytes(), 420, 200));

        var page = (await PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng" }).ExtractAsync(scan, CancellationToken.None)).Pages[0];

        Assert.True(page.Ocr!.Deskewed);
        var image = await Ink.RenderAsync(scan);
        var words = page.Words!.Where(w => w.End - w.Start >= 4).ToList();
        Assert.NotEmpty(words);
        Assert.All(words, w => Assert.True(Ink.Fills(image, w), $"{page.Text[w.Start..w.End]} {w} is off its ink"));
        // The box of a word on the turned line is where the digital page printed it: pdftotext's box of the same word.
        var printed = (await PdfTextExtractor.Create(new TextExtractionOptions()).ExtractAsync(original, CancellationToken.None)).Pages[0];
        var (read, truth) = (Word(page, "Quarterly"), Word(printed, "Quarterly"));
        Assert.Equal((truth.X0 + truth.X1) / 2, (read.X0 + read.X1) / 2, 0.02);
        Assert.Equal((truth.Y0 + truth.Y1) / 2, (read.Y0 + read.Y1) / 2, 0.03);
    }

    [Fact]
    public void Words_out_of_order_or_joined_at_a_hyphen_are_placed_and_a_word_that_could_be_anywhere_is_left_out()
    {
        const string text = "Total due: 54.00 EUR\nWe compile the report\n- - -";
        WordBox.Found[] words =
        [
            new("We", 0.1, 0.5, 0.2, 0.6), new("com-", 0.25, 0.5, 0.4, 0.6), new("pile", 0.1, 0.6, 0.2, 0.7), new("the", 0.25, 0.6, 0.3, 0.7),
            new("report", 0.35, 0.6, 0.5, 0.7),
            // The first block comes last, as -bbox-layout may order a page's blocks otherwise than the text.
            new("Total", 0.1, 0.1, 0.2, 0.2), new("due:", 0.25, 0.1, 0.3, 0.2), new("54.00", 0.35, 0.1, 0.45, 0.2), new("EUR", 0.5, 0.1, 0.6, 0.2),
            // Three dashes and a fourth: after the three are placed in order, the fourth has no place left.
            new("-", 0.1, 0.8, 0.12, 0.82), new("-", 0.2, 0.8, 0.22, 0.82), new("-", 0.3, 0.8, 0.32, 0.82), new("-", 0.4, 0.8, 0.42, 0.82),
            new("absent", 0.5, 0.5, 0.6, 0.6),
        ];

        var placed = WordPlacer.Place(text, words);

        Assert.Equal(["Total", "due:", "54.00", "EUR", "We", "com", "pile", "the", "report", "-", "-", "-"], placed.Select(w => text[w.Start..w.End]));
        var page = new PageText(1, text, PdfTextExtractor.TextLayerSource) { Words = placed };
        var compile = EvidenceFinder.On(page, text.IndexOf("compile", StringComparison.Ordinal), text.IndexOf(" the", StringComparison.Ordinal));
        Assert.Equal([new PageBox(1, 0.25, 0.5, 0.4, 0.6), new PageBox(1, 0.1, 0.6, 0.2, 0.7)], compile.Boxes);
        var amount = EvidenceFinder.On(page, 0, text.IndexOf('\n', StringComparison.Ordinal));
        Assert.Equal([new PageBox(1, 0.1, 0.1, 0.6, 0.2)], amount.Boxes);
    }

    [Fact]
    public void A_page_cleaned_of_nul_characters_keeps_its_words_on_their_text()
    {
        var page = new PageText(1, "Bob\0Smith paid", PdfTextExtractor.TextLayerSource)
        {
            Words = [new WordBox(0, 9, 0.1, 0.1, 0.3, 0.2), new WordBox(10, 14, 0.4, 0.1, 0.5, 0.2), new WordBox(3, 4, 0.15, 0.1, 0.16, 0.2)],
        };

        var (cleaned, _) = StorableText.Clean([page]);

        var clean = cleaned[0];
        Assert.Equal(["BobSmith", "paid"], clean.Words!.Select(w => clean.Text[w.Start..w.End]));
    }

    [Fact]
    public async Task Word_boxes_are_a_setting_and_off_leave_no_words_nor_evidence_boxes()
    {
        var pdf = CorpusCase.Named("inv2data_oyo.pdf").Path;

        var page = (await PdfTextExtractor.Create(new TextExtractionOptions { WordBoxes = false }).ExtractAsync(pdf, CancellationToken.None)).Pages[0];

        Assert.Null(page.Words);
        Assert.Empty(EvidenceFinder.FindText("IBZY2087", [page])!.Boxes);
    }

    [Fact]
    public async Task A_failing_bbox_run_leaves_the_words_out_with_a_note_and_the_text_as_it_was()
    {
        var pdf = CorpusCase.Named("inv2data_oyo.pdf").Path;
        var failing = Path.Combine(_folder, "pdftotext");
        await File.WriteAllTextAsync(failing,
            "#!/bin/sh\ncase \"$*\" in *-bbox-layout*) echo 'Syntax Error: broken on purpose' >&2; exit 1;; esac\nexec /usr/bin/pdftotext \"$@\"\n");
        File.SetUnixFileMode(failing, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var text = await PdfTextExtractor.Create(new TextExtractionOptions { PdftotextPath = failing }).ExtractAsync(pdf, CancellationToken.None);

        var plain = await PdfTextExtractor.Create(new TextExtractionOptions { WordBoxes = false }).ExtractAsync(pdf, CancellationToken.None);
        Assert.Equal(plain.Pages[0].Text, text.Pages[0].Text);
        Assert.Empty(text.Pages[0].Words!);
        Assert.Contains(text.Notes, n => n.StartsWith("the text layer's word boxes were left out: ", StringComparison.Ordinal) && n.Contains("broken on purpose", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static WordBox Word(PageText page, string word) => page.Words!.First(w => page.Text[w.Start..w.End] == word);
}
