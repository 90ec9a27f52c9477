using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.Worker.Tests;

/// <summary>Protected corpus PDFs (their passwords are in the ground truth) opened with, without and with a wrong password (#14).</summary>
public sealed class Opening_password_protected_pdfs
{
    private readonly PdfTextExtractor _extractor = PdfTextExtractor.Create(new TextExtractionOptions());

    // pdfjs_issue6010_1_password.pdf is left out: PDFsharp 6.2.4 opens it with any password into undecodable streams
    // (it then fails as corrupt, README); pdfpig_encrypted-password-is-password.pdf is damaged beyond its encryption.
    public static TheoryData<string> Protected() => ["docling_2206.01062_pg3_password.pdf", "pdfjs_issue21579_password.pdf"];

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task Its_password_opens_it_and_yields_its_known_text(string name)
    {
        var pdf = CorpusCase.Named(name);

        var text = await _extractor.ExtractAsync(pdf.Path, new TextRequest(Password: pdf.Password), CancellationToken.None);

        Assert.Empty(pdf.MissingSnippets(string.Join("\n", text.Pages.Select(p => p.Text))));
    }

    [Fact]
    public async Task A_wrong_password_gets_its_own_reason()
    {
        var failure = await Assert.ThrowsAsync<PermanentExtractionException>(() => _extractor.ExtractAsync(
            CorpusCase.Named("docling_2206.01062_pg3_password.pdf").Path, new TextRequest(Password: "4321"), CancellationToken.None));

        Assert.Equal(PopplerErrors.WrongPassword, failure.Message);
    }

    [Fact]
    public async Task The_password_appears_on_no_command_line_while_the_pdf_is_read()
    {
        var pdf = CorpusCase.Named("docling_2206.01062_pg3_password.pdf");
        var password = pdf.Password!;
        var seen = new List<string>();
        var extraction = _extractor.ExtractAsync(pdf.Path, new TextRequest(Password: password), CancellationToken.None);

        // Every process's command line, read as often as the machine allows while the document is read.
        while (!extraction.IsCompleted)
        {
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var line = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                    if (line.Contains("pdftotext", StringComparison.Ordinal) || line.Contains(PdfDecryption.Verb, StringComparison.Ordinal))
                    {
                        seen.Add(line);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Gone while read.
                }
            }
        }
        await extraction;

        Assert.NotEmpty(seen);
        Assert.DoesNotContain(seen, line => line.Contains(password, StringComparison.Ordinal));
    }
}
