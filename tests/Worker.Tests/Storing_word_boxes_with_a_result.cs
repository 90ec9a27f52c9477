using System.Text.Json;
using DocExtract.Persistence.Results;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Word boxes through the worker's processing path to PostgreSQL (#13): the stored result carries every page's words
/// and each value's evidence its boxes, which enclose the value's words and its ink on the rendered page.
/// </summary>
public sealed class Storing_word_boxes_with_a_result : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("docextract-stored-boxes-").FullName;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Each_values_evidence_has_a_box_enclosing_its_words_and_ink_on_its_page()
    {
        var pdf = TestEInvoices.Hybrid();

        using var result = await _harness.ResultOfAsync(await _harness.ProcessAsync(pdf, "invoice"));

        var root = result.RootElement;
        var page = root.GetProperty("pages")[0];
        var words = page.GetProperty("words").EnumerateArray().Select(w => w.Deserialize<WordBox>()!).ToList();
        Assert.NotEmpty(words);
        var path = Path.Combine(_folder, "invoice.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var image = await Ink.RenderAsync(path);
        var boxed = root.GetProperty("fields").EnumerateArray()
            .Where(f => f.GetProperty("evidence").ValueKind == JsonValueKind.Object).Select(f => f.GetProperty("evidence")).ToList();
        Assert.Contains(boxed, e => e.GetProperty("quote").GetString() == "529,87");
        Assert.Contains(boxed, e => e.GetProperty("quote").GetString() == TestEInvoices.Number);
        foreach (var evidence in boxed)
        {
            var (start, end) = (evidence.GetProperty("start").GetInt32(), evidence.GetProperty("end").GetInt32());
            var box = Assert.Single(evidence.GetProperty("boxes").EnumerateArray());
            Assert.Equal(1, box.GetProperty("page").GetInt32());
            var (x0, y0, x1, y1) = (box.GetProperty("x0").GetDouble(), box.GetProperty("y0").GetDouble(), box.GetProperty("x1").GetDouble(), box.GetProperty("y1").GetDouble());
            var inside = words.Where(w => w.Start < end && w.End > start).ToList();
            Assert.NotEmpty(inside);
            Assert.All(inside, w => Assert.True(w.X0 >= x0 && w.Y0 >= y0 && w.X1 <= x1 && w.Y1 <= y1, $"{w} outside {box}"));
            Assert.True(Ink.Fills(image, x0, y0, x1, y1), $"{evidence} is off its ink");
        }
    }
}
