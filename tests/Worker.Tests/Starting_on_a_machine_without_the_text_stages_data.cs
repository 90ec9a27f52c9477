using DocExtract.Pipeline.TextExtraction;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Tests;

/// <summary>A fresh machine lacked poppler-data and lost the Japanese and Chinese text in silence (#14).</summary>
public sealed class Starting_on_a_machine_without_the_text_stages_data : IDisposable
{
    private readonly string _empty = Directory.CreateTempSubdirectory("docextract-nodata-").FullName;

    [Fact]
    public async Task This_machine_has_everything_the_defaults_need()
    {
        Assert.Empty(await Check(new TextExtractionOptions()).ProblemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Missing_cjk_maps_name_poppler_data()
    {
        var problems = await Check(new TextExtractionOptions { PopplerDataPath = _empty }).ProblemsAsync(CancellationToken.None);

        Assert.Equal($"poppler's CJK character maps are missing ({_empty}/cMap/Adobe-Japan1): install the Debian package poppler-data " +
            "(or point TextExtraction:PopplerDataPath at its folder)", Assert.Single(problems));
    }

    [Fact]
    public async Task A_missing_imagemagick_is_named_unless_straightening_is_off()
    {
        var missing = Path.Combine(_empty, "convert");

        var problems = await Check(new TextExtractionOptions { ConvertPath = missing }).ProblemsAsync(CancellationToken.None);
        var off = await Check(new TextExtractionOptions { ConvertPath = missing, OcrDeskew = false }).ProblemsAsync(CancellationToken.None);

        Assert.Equal($"ImageMagick's convert is missing ({missing}), which straightens skewed scans: install the Debian " +
            "package imagemagick (or set TextExtraction:ConvertPath, or TextExtraction:OcrDeskew false)", Assert.Single(problems));
        Assert.Empty(off);
    }

    [Fact]
    public async Task Missing_traineddata_name_each_package_and_refuse_to_start()
    {
        var check = Check(new TextExtractionOptions { TessdataPath = _empty, OcrLanguages = "eng+fra+chi_sim" });

        var failure = await Assert.ThrowsAsync<TextStageIncompleteException>(() => check.EnsureAsync(CancellationToken.None));

        Assert.Contains($"Tesseract has no traineddata in {_empty} for eng, fra, chi_sim, osd: install the Debian package(s) " +
            "tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-chi-sim tesseract-ocr-osd", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    private static TextStageCheck Check(TextExtractionOptions settings) => new(new ToolRunner(), Options.Create(settings));
}
