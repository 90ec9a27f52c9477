using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Schemas;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Confidence and evidence from real llama.cpp inference. The random test model's values are noise, so the known
/// values are forced: the schema's <c>const</c> keywords leave the grammar one choice for them. The free
/// <c>note</c> is the model's own pick among thousands of tokens.
/// </summary>
public sealed class Extracting_with_trust_signals : IDisposable
{
    private const string KnownValues = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Trust check",
          "description": "A document whose reference, total and date are known.",
          "type": "object",
          "additionalProperties": false,
          "required": ["reference", "total", "date", "note"],
          "properties": {
            "reference": { "const": "INV-2026-0042", "description": "The reference." },
            "total": { "const": 631.2, "description": "The total." },
            "date": { "const": "2026-03-02", "description": "The date." },
            "note": { "type": "string", "maxLength": 12, "description": "Anything else." }
          }
        }
        """;

    private readonly string _schemas = Directory.CreateTempSubdirectory("docextract-trust-").FullName;

    public Extracting_with_trust_signals() => File.WriteAllText(Path.Combine(_schemas, "trust-check.json"), KnownValues);

    [Fact]
    public async Task A_forced_value_has_confidence_one_and_evidence_where_the_pdf_prints_it()
    {
        await using var pipeline = Pipeline();
        var text = await pipeline.TextOfAsync(TestPdfs.WithPages(
            "Cover letter, nothing to see here.",
            "INVOICE\nReference: INV-2026-0042\nDate: 2 March 2026\nTotal: 631.20 GBP"));

        var result = await pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "trust-check", CancellationToken.None);
        var fields = result.Fields.ToDictionary(f => f.Pointer);

        Assert.Equal(["/reference", "/total", "/date", "/note"], result.Fields.Select(f => f.Pointer));
        foreach (var (pointer, quote) in new[] { ("/reference", "INV-2026-0042"), ("/total", "631.20"), ("/date", "2 March 2026") })
        {
            Assert.InRange(fields[pointer].Confidence, 0.999, 1);
            Assert.False(fields[pointer].Unsupported);
            var evidence = fields[pointer].Evidence!;
            Assert.Equal((2, quote), (evidence.Page, evidence.Quote));
            Assert.Equal(quote, text.Pages[1].Text[evidence.Start..evidence.End]);
        }
        Assert.Null(result.Windows);
    }

    [Fact]
    public async Task A_value_picked_from_a_flat_distribution_has_low_confidence_and_sends_the_document_to_review()
    {
        await using var pipeline = Pipeline();
        var text = await pipeline.TextOfAsync(TestPdfs.WithPages("Reference: INV-2026-0042\nDate: 2 March 2026\nTotal: 631.20 GBP"));

        var result = await pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "trust-check", CancellationToken.None);
        var note = result.Fields.Single(f => f.Pointer == "/note");
        var review = pipeline.Get<ReviewPolicy>().Decide(result);

        Assert.True(note.Confidence < 0.5, $"the random model's note has confidence {note.Confidence}");
        Assert.True(review.Needed);
        Assert.Contains(review.Reasons, r => r.Kind == ReviewReason.LowConfidence && r.Pointer == "/note");
        Assert.DoesNotContain(review.Reasons, r => r.Pointer is "/reference" or "/total" or "/date");
    }

    [Fact]
    public async Task A_value_the_document_does_not_state_is_unsupported()
    {
        await using var pipeline = Pipeline();
        var text = await pipeline.TextOfAsync(TestPdfs.WithPages("Reference: INV-2026-0042\nTotal: 613.20 GBP\nDate: 3 March 2026"));

        var result = await pipeline.Get<IStructuredExtraction>().ExtractAsync(text, "trust-check", CancellationToken.None);
        var fields = result.Fields.ToDictionary(f => f.Pointer);

        Assert.False(fields["/reference"].Unsupported);
        Assert.True(fields["/total"].Unsupported);
        Assert.True(fields["/date"].Unsupported);
        Assert.Contains(pipeline.Get<ReviewPolicy>().Decide(result).Reasons, r => r.Kind == ReviewReason.Unsupported && r.Pointer == "/total");
    }

    [Fact]
    public async Task Auto_below_the_confidence_threshold_gives_an_unknown_type_with_its_candidates()
    {
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?> { ["Llm:ClassificationConfidence"] = "1" });
        var text = await pipeline.TextOfAsync(LlmPipeline.SampleDocument("letter"));
        var names = (await pipeline.Get<SchemaCatalog>().GetSnapshotAsync()).Schemas.Select(s => s.Name).ToList();

        var result = await pipeline.Get<IStructuredExtraction>().ExtractAsync(text, DocumentTypeName.Auto, CancellationToken.None);

        Assert.Equal((DocumentTypeName.Unknown, LlmExtraction.UnknownTypeState), (result.Schema, result.State));
        Assert.Null(result.Data);
        Assert.Matches(@"^the document's type is unknown: the classifier's best guess, '[a-z-]+', has probability 0\.\d+, below Llm:ClassificationConfidence 1", result.Reason);
        var classification = result.Details!["classification"]!;
        Assert.Equal(DocumentTypeName.Unknown, classification["type"]!.GetValue<string>());
        var candidates = classification["candidates"]!.AsArray().Select(c => (Type: c!["type"]!.GetValue<string>(), P: c["probability"]!.GetValue<double>())).ToList();
        Assert.Equal(3, candidates.Count);
        Assert.Equal(3, candidates.Select(c => c.Type).Distinct().Count());
        Assert.All(candidates, c => Assert.Contains(c.Type, names));
        Assert.All(candidates, c => Assert.InRange(c.P, 0, 1));
        Assert.InRange(candidates.Sum(c => c.P), 0, 1.0001);
        Assert.Equal(ReviewReason.UnknownType, Assert.Single(pipeline.Get<ReviewPolicy>().Decide(result).Reasons).Kind);
    }

    public void Dispose() => Directory.Delete(_schemas, recursive: true);

    private LlmPipeline Pipeline() => new(new Dictionary<string, string?> { ["Schemas:Directory"] = _schemas });
}
