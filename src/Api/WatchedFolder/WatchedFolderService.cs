using System.Diagnostics.Metrics;
using DocExtract.Api.Metrics;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.WatchedFolder;

/// <summary>
/// Takes PDFs dropped into the watched folder's inbox (and its subfolders) through the same intake as
/// POST /documents (issue #4). FileSystemWatcher events wake it at once; a rescan every RescanInterval finds what
/// events miss (NFS, SMB, an overflowing watcher) and, at start, whatever arrived while the service was down.
/// A file that cannot be taken for a reason of the service (PostgreSQL away) stays in the inbox for the next pass.
/// Each pass completed counts in docextract_watched_folder_scans_total: a counter that stops moving is a stuck watcher.
/// </summary>
public sealed partial class WatchedFolderService(
    IServiceScopeFactory scopes,
    IOptions<WatchedFolderOptions> options,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<WatchedFolderService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Counter<long> _scans = meters.Create(DocumentMetrics.MeterName).CreateCounter<long>(
        "docextract.watched_folder.scans", description: "Passes over the watched folder's inbox completed, each file in it looked at and the ready ones taken");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        foreach (var folder in new[] { settings.Inbox, settings.Processed, settings.Failed, settings.Duplicates })
        {
            Directory.CreateDirectory(folder);
        }
        using var watcher = new FileSystemWatcher(settings.Inbox) { IncludeSubdirectories = true };
        watcher.Created += (_, _) => Wake();
        watcher.Changed += (_, _) => Wake();
        watcher.Renamed += (_, _) => Wake();
        watcher.Error += (_, _) => Wake();
        watcher.EnableRaisingEvents = true;
        LogWatching(logger, settings.Inbox);

        var scanner = new InboxScanner(settings.Inbox, settings.SettleTime, clock, logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            var settling = false;
            try
            {
                (var ready, settling) = scanner.Scan();
                foreach (var path in ready)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    if (await TakeAsync(path, stoppingToken) && settings.KeepOriginals)
                    {
                        scanner.MarkDone(path);
                    }
                    else
                    {
                        scanner.Forget(path);
                    }
                }
                _scans.Add(1);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e);
            }
            // Files still settling are looked at again soon; otherwise wait for an event or the rescan.
            var wait = settling ? settings.SettleTime / 2 : settings.RescanInterval;
            try
            {
                await _wake.WaitAsync(wait, stoppingToken);
                // Several events for one file wake the loop once.
                while (_wake.CurrentCount > 0)
                {
                    await _wake.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether the file was settled; if not, it is still in the inbox and the next pass tries again.</summary>
    private async Task<bool> TakeAsync(string path, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<InboxFileIntake>();
        try
        {
            return await intake.TakeAsync(path, cancellationToken) is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still in the inbox (PostgreSQL away, say): the next pass tries again. Gone (deleted meanwhile): nothing to do.
            LogFileFailed(logger, path, e);
            return false;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watched folder: watching {Inbox}")]
    private static partial void LogWatching(ILogger logger, string inbox);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watched folder: a pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watched folder: {File} could not be taken now; it stays in the inbox and is retried")]
    private static partial void LogFileFailed(ILogger logger, string file, Exception exception);
}
