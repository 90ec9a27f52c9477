using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Every PDF of ../shared/corpus ends as its ground truth says: its snippets found in the text (through OCR for
/// the scans, turned upright where they lie rotated), or a failure with a reason. French is among the OCR
/// languages for the French brochure (pdfpig_GHOSTSCRIPT-688999-2), as a deployment reading French scans would set it.
/// </summary>
public sealed class Extracting_the_text_of_corpus_pdfs
{
    private readonly PdfTextExtractor _extractor = PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng+fra" });

    public static TheoryData<string> Readable() =>
        [.. CorpusCase.All().Where(c => !c.NeedsOcr && !c.ShouldFail && !c.MayFail).Select(c => c.Name)];

    public static TheoryData<string> Scanned() => [.. CorpusCase.All().Where(c => c.NeedsOcr).Select(c => c.Name)];

    public static TheoryData<string> Unreadable() => [.. CorpusCase.All().Where(c => c.ShouldFail).Select(c => c.Name)];

    public static TheoryData<string> Damaged() => [.. CorpusCase.All().Where(c => c.MayFail).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Readable))]
    public async Task A_readable_pdf_yields_its_known_text_on_every_page(string name)
    {
        var pdf = CorpusCase.Named(name);

        var text = await _extractor.ExtractAsync(pdf.Path, CancellationToken.None);

        Assert.Equal(pdf.Pages, text.Pages.Count);
        Assert.Equal(Enumerable.Range(1, text.Pages.Count), text.Pages.Select(p => p.Number));
        Assert.Empty(pdf.MissingSnippets(string.Join("\n", text.Pages.Select(p => p.Text))));
    }

    [Theory]
    [MemberData(nameof(Scanned))]
    public async Task A_scanned_pdf_yields_its_known_text_through_ocr_on_every_page(string name)
    {
        var pdf = CorpusCase.Named(name);

        var text = await _extractor.ExtractAsync(pdf.Path, CancellationToken.None);

        Assert.Equal(pdf.Pages, text.Pages.Count);
        Assert.All(text.Pages, p => Assert.Equal(PageOcr.Source, p.Source));
        Assert.Empty(pdf.MissingSnippets(string.Join("\n", text.Pages.Select(p => p.Text))));
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task An_unreadable_pdf_fails_with_a_reason(string name)
    {
        var pdf = CorpusCase.Named(name);

        var failure = await Assert.ThrowsAnyAsync<PermanentExtractionException>(() => _extractor.ExtractAsync(pdf.Path, CancellationToken.None));

        if (pdf.Password is not null)
        {
            Assert.Equal(PopplerErrors.PasswordRequired, failure.Message);
        }
        else
        {
            Assert.StartsWith("the PDF is corrupt", failure.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task A_damaged_pdf_is_either_recovered_with_its_text_or_refused_with_a_reason(string name)
    {
        var pdf = CorpusCase.Named(name);
        try
        {
            var text = await _extractor.ExtractAsync(pdf.Path, CancellationToken.None);
            Assert.Empty(pdf.MissingSnippets(string.Join("\n", text.Pages.Select(p => p.Text))));
        }
        catch (PermanentExtractionException e)
        {
            Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
        }
    }
}
