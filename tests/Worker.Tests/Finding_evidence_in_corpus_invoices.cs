using System.Text.Json;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Evidence on real invoices and receipts written by others (../shared/corpus): each known value of the ground truth
/// that the evidence rules cover is found in the extracted text, in the form that PDF prints it.
/// </summary>
public sealed class Finding_evidence_in_corpus_invoices
{
    private readonly PdfTextExtractor _extractor = PdfTextExtractor.Create(new TextExtractionOptions());

    public static TheoryData<string> Invoices() =>
        [.. CorpusCase.All().Where(c => c.Category is "invoice" or "receipt" && !c.NeedsOcr && Known(c).Count > 0).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Every_known_value_has_evidence_in_the_text(string name)
    {
        var pdf = CorpusCase.Named(name);
        var text = await _extractor.ExtractAsync(pdf.Path, CancellationToken.None);

        var missing = Known(pdf).Where(v => EvidenceFinder.Find(v.Value, text.Pages) is null).Select(v => $"{v.Field}={v.Value}").ToList();

        Assert.True(missing.Count == 0, $"no evidence for {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task A_value_printed_only_in_an_image_has_no_evidence_in_the_text()
    {
        // The ground truth's notes: saeco's bank details exist only inside an embedded image.
        var text = await _extractor.ExtractAsync(CorpusCase.Named(_imageOnlyIban.File).Path, CancellationToken.None);

        Assert.Null(EvidenceFinder.Find(JsonDocument.Parse($"\"{_imageOnlyIban.Iban}\"").RootElement, text.Pages));
        Assert.NotNull(EvidenceFinder.Find(JsonDocument.Parse("\"VF1005193039\"").RootElement, text.Pages));
    }

    private static readonly (string File, string Iban) _imageOnlyIban = ("inv2data_saeco.pdf", "NL58RABO0198723202");

    // The values an invoice schema asks for. The ground truth holds more (descriptions it composes, currency codes
    // where the PDF prints a symbol, the first day of a "1er au 31 Juillet" range) that no PDF prints as such.
    private static readonly HashSet<string> _printed =
    [
        "invoice_number", "amount", "amount_untaxed", "amount_tax", "date", "date_due", "due_date", "issue_date", "subtotal",
        "net_amount", "vat_amount", "total", "iban", "seller_vat_id", "buyer_vat_id", "order_number", "order_id",
    ];

    // The ground truth's printed scalar values: identifiers, amounts and dates.
    private static List<(string Field, JsonElement Value)> Known(CorpusCase pdf)
    {
        var path = Path.Combine(Repository.Corpus, "ground_truth", Path.ChangeExtension(pdf.Name, ".json"));
        using var truth = JsonDocument.Parse(File.ReadAllText(path));
        if (!truth.RootElement.TryGetProperty("expected_fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        return [.. fields.EnumerateObject()
            .Where(f => _printed.Contains(f.Name) && f.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            .Where(f => !(pdf.Name == _imageOnlyIban.File && f.Name == "iban"))
            .Select(f => (f.Name, f.Value.Clone()))];
    }
}
