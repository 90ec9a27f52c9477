namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// At worker start: refuse to run without the data the text stage needs (<see cref="TextStageCheck"/>), and remove
/// the OCR folders a killed worker left behind, rendered pages of customer documents (#15 item 9).
/// </summary>
public sealed partial class TextStageStartup(TextStageCheck check, ILogger<TextStageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = OcrWorkspace.RemoveOrphans();
        if (removed > 0)
        {
            LogRemoved(logger, removed);
        }
        await check.EnsureAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} OCR folder(s) left by a worker that is no longer running")]
    private static partial void LogRemoved(ILogger logger, int count);
}
