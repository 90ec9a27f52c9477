using System.ComponentModel.DataAnnotations;
using DocExtract.Operations.Settings;
using DocExtract.Operations.Tools;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Review;

/// <summary>
/// The settings of the contained tool runs the page renderer shares with the worker's text stage: the same
/// <c>TextExtraction</c> keys, so one setting limits poppler wherever it runs.
/// </summary>
public sealed class PageToolOptions
{
    public string PdftoppmPath { get; set; } = "pdftoppm";
    [Range(typeof(TimeSpan), Durations.Shortest, Durations.Longest)]
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(120);
    [Range(1, long.MaxValue)]
    public long ToolMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    [Range(1, long.MaxValue)]
    public long MaxPageImageBytes { get; set; } = 256L * 1024 * 1024;
}

public sealed record PageImage(byte[]? Png, int Status, string? Problem);

/// <summary>
/// Renders one page of a stored PDF to PNG with pdftoppm on demand (issue #13), under the worker's tool limits
/// (prlimit, no network, <c>TextExtraction:ToolTimeout</c>, <c>ToolMemoryBytes</c>, <c>MaxPageImageBytes</c>), and keeps
/// it in <see cref="ReviewOptions.PageCacheDirectory"/>, dropping the least recently used images past
/// <see cref="ReviewOptions.PageCacheMaxBytes"/>. A file's images depend only on its bytes, so they are keyed by its SHA-256.
/// </summary>
public sealed partial class PageImages(IOptions<ReviewOptions> review, IOptions<PageToolOptions> tools, ToolRunner runner, ILogger<PageImages> logger)
{
    private readonly Lock _trimming = new();

    public async Task<PageImage> RenderAsync(string sha256, int page, int dpi, Func<Task<byte[]?>> loadPdf, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(review.Value.PageCacheDirectory).FullName;
        var path = Path.Combine(folder, $"{sha256}-p{page}-{dpi}dpi.png");
        if (File.Exists(path))
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return new PageImage(await File.ReadAllBytesAsync(path, cancellationToken), StatusCodes.Status200OK, null);
        }

        var pdf = await loadPdf();
        if (pdf is null)
        {
            return new PageImage(null, StatusCodes.Status410Gone, "the original file is no longer stored, so its pages cannot be shown");
        }
        var settings = tools.Value;
        ToolResult result;
        try
        {
            // The PDF goes in on stdin and the PNG comes out on stdout: nothing of the document is written but the image.
            result = await runner.RunAsync(settings.PdftoppmPath,
                ["-png", "-r", $"{dpi}", "-f", $"{page}", "-l", $"{page}", "-singlefile", "-"],
                new ToolLimits(settings.ToolTimeout, settings.ToolMemoryBytes, settings.MaxPageImageBytes), cancellationToken, input: pdf);
        }
        catch (PermanentExtractionException e)
        {
            return new PageImage(null, StatusCodes.Status422UnprocessableEntity, $"page {page} cannot be rendered: {e.Message}");
        }
        if (result.ExitCode != 0 || result.Stdout.Length == 0)
        {
            var why = result.Stderr.Contains("password", StringComparison.OrdinalIgnoreCase)
                ? "the PDF is password-protected, and its password is not kept (only its extracted text is)"
                : $"pdftoppm exited with {result.ExitCode}: {result.Stderr.Trim()}";
            return new PageImage(null, StatusCodes.Status422UnprocessableEntity, $"page {page} cannot be rendered: {why}");
        }

        var partial = $"{path}.{Guid.NewGuid():N}.part";
        await File.WriteAllBytesAsync(partial, result.Stdout, cancellationToken);
        File.Move(partial, path, overwrite: true);
        Trim(folder);
        return new PageImage(result.Stdout, StatusCodes.Status200OK, null);
    }

    private void Trim(string folder)
    {
        lock (_trimming)
        {
            var files = new DirectoryInfo(folder).GetFiles("*.png").OrderByDescending(f => f.LastAccessTimeUtc).ToList();
            var kept = 0L;
            foreach (var file in files)
            {
                kept += file.Length;
                if (kept > review.Value.PageCacheMaxBytes)
                {
                    try
                    {
                        file.Delete();
                    }
                    catch (IOException e)
                    {
                        LogNotTrimmed(logger, file.FullName, e.Message);
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "page cache: {Path} could not be removed ({Reason})")]
    private static partial void LogNotTrimmed(ILogger logger, string path, string reason);
}
