using System.Diagnostics;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Corpus;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Corpus PDFs damaged on purpose (truncated, bytes flipped, a run of bytes zeroed), seeded so every case is the
/// same on every run and can be replayed by its number: the real extractor never crashes or hangs past its limits,
/// and every case ends with text or a PermanentExtractionException (issue #4).
/// </summary>
public sealed class Extracting_the_text_of_damaged_pdfs : IDisposable
{
    private const int Cases = 40;
    private static readonly TimeSpan _documentLimit = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-fuzz-").FullName;

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, Cases)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_damaged_pdf_ends_with_text_or_a_reason_within_the_limits(int seed)
    {
        var (source, damage, bytes) = Damage(seed);
        var path = Path.Combine(_folder, $"{seed}.pdf");
        await File.WriteAllBytesAsync(path, bytes);
        var extractor = PdfTextExtractor.Create(new TextExtractionOptions
        {
            MaxPages = 20,
            ToolTimeout = TimeSpan.FromSeconds(15),
            DocumentTimeout = _documentLimit,
        });
        var clock = Stopwatch.StartNew();

        try
        {
            var text = await extractor.ExtractAsync(path, CancellationToken.None);
            Assert.NotEmpty(text.Pages);
            Assert.All(text.Pages, p => Assert.Contains(p.Source, new[] { PdfTextExtractor.TextLayerSource, PageOcr.Source }));
        }
        catch (PermanentExtractionException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{source} ({damage}) failed without a reason");
        }
        Assert.True(clock.Elapsed < _documentLimit + TimeSpan.FromSeconds(10), $"{source} ({damage}) took {clock.Elapsed}");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (string Source, string Damage, byte[] Bytes) Damage(int seed)
    {
        var random = new Random(seed);
        // Small readable files keep 40 cases within seconds; one scan puts the OCR path under the same damage.
        var sources = CorpusCase.All()
            .Where(c => !c.ShouldFail && new FileInfo(c.Path).Length < 400 * 1024 && (c.Pages ?? 1) <= 5)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var source = sources[random.Next(sources.Count)];
        var bytes = File.ReadAllBytes(source.Path);
        switch (random.Next(3))
        {
            case 0:
                var length = random.Next(bytes.Length);
                return (source.Name, $"truncated to {length} bytes", bytes[..length]);
            case 1:
                var flips = random.Next(1, 64);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return (source.Name, $"{flips} bits flipped", bytes);
            default:
                var start = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, 4096), bytes.Length - start);
                Array.Clear(bytes, start, count);
                return (source.Name, $"{count} bytes zeroed at {start}", bytes);
        }
    }
}
