using System.Text;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// What the text stage needs installed besides its programs, checked at start (worker and `extract`) so that a
/// machine without it fails loudly instead of silently extracting less (#14): poppler-data's CJK character maps
/// (without them Japanese and Chinese text layers come out empty) and Tesseract's traineddata for every
/// configured language and for orientation detection (osd). Each problem names the Debian package to install.
/// </summary>
public sealed class TextStageCheck(ToolRunner tools, IOptions<TextExtractionOptions> options)
{
    /// <summary>One of the CJK maps poppler-data installs; its absence means all of them are missing.</summary>
    public const string CjkMap = "cMap/Adobe-Japan1";

    public async Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var problems = new List<string>();
        var cjk = Path.Combine(settings.PopplerDataPath, CjkMap);
        if (!Directory.Exists(cjk))
        {
            problems.Add($"poppler's CJK character maps are missing ({cjk}): install the Debian package poppler-data " +
                "(or point TextExtraction:PopplerDataPath at its folder)");
        }

        if (settings.OcrDeskew && !File.Exists(settings.ConvertPath))
        {
            problems.Add($"ImageMagick's convert is missing ({settings.ConvertPath}), which straightens skewed scans: install the Debian " +
                "package imagemagick (or set TextExtraction:ConvertPath, or TextExtraction:OcrDeskew false)");
        }

        var installed = await InstalledLanguagesAsync(cancellationToken);
        var missing = OcrLanguages.Split(settings.OcrLanguages).Append(OcrLanguages.Orientation).Where(l => !installed.Contains(l)).ToList();
        if (missing.Count > 0)
        {
            var where = settings.TessdataPath is { } path ? $" in {path}" : "";
            problems.Add($"Tesseract has no traineddata{where} for {string.Join(", ", missing)}: install the Debian package(s) " +
                $"{string.Join(' ', missing.Select(OcrLanguages.Package))} (TextExtraction:OcrLanguages names the languages)");
        }
        return problems;
    }

    /// <summary>The languages `tesseract --list-langs` names (its first line is a heading).</summary>
    public async Task<IReadOnlySet<string>> InstalledLanguagesAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var run = await tools.RunAsync(settings.TesseractPath, [.. OcrLanguages.DataDirectory(settings), "--list-langs"], settings.Limits, cancellationToken);
        return Encoding.UTF8.GetString(run.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Throws, naming every problem, when something is missing.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var problems = await ProblemsAsync(cancellationToken);
        if (problems.Count > 0)
        {
            throw new TextStageIncompleteException(problems);
        }
    }
}

public sealed class TextStageIncompleteException(IReadOnlyList<string> problems)
    : Exception("the text stage cannot run as configured: " + string.Join("; ", problems));
