using System.Diagnostics;
using System.Globalization;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.Bench.Ingest;

public static class TextBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 3);
        var dpi = Option(args, "--dpi", new TextExtractionOptions().OcrMinDpi);
        var extractor = PdfTextExtractor.Create(new TextExtractionOptions { OcrLanguages = "eng+fra", OcrMinDpi = dpi });
        var cases = CorpusCase.All().Where(c => !c.ShouldFail && !c.MayFail).ToList();
        Console.WriteLine($"{cases.Count} corpus PDFs, {rounds} rounds, OCR at {dpi} dpi (eng+fra), {Environment.ProcessorCount} cores, one document at a time");

        // A warm-up pass: the first runs pay for the JIT and a cold page cache.
        foreach (var pdf in cases)
        {
            await extractor.ExtractAsync(pdf.Path, CancellationToken.None);
        }
        var textLayer = new Totals();
        var ocr = new Totals();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var pdf in cases)
            {
                var clock = Stopwatch.StartNew();
                var text = await extractor.ExtractAsync(pdf.Path, CancellationToken.None);
                clock.Stop();
                var totals = text.Pages.Any(p => p.Source == PageOcr.Source) ? ocr : textLayer;
                totals.Add(text.Pages.Count, clock.Elapsed);
            }
        }
        Console.WriteLine($"text layer: {textLayer}");
        Console.WriteLine($"OCR:        {ocr}");
        return 0;
    }

    internal static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class Totals
    {
        private int _documents;
        private int _pages;
        private TimeSpan _elapsed;

        public void Add(int pages, TimeSpan elapsed)
        {
            _documents++;
            _pages += pages;
            _elapsed += elapsed;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{_pages} pages in {_documents} documents, {_elapsed.TotalSeconds:0.0} s: {_pages / _elapsed.TotalSeconds:0.00} pages/s ({_elapsed.TotalMilliseconds / _pages:0} ms/page)");
    }
}
