using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocExtract.Schemas;

/// <summary>
/// The document types: every *.json file in one folder. A lookup notices files added, changed or removed since the
/// last one and reloads, so a new type needs neither a rebuild nor a restart. Files that fail to load are listed
/// with their reason in <see cref="SchemaCatalogSnapshot.Errors"/> and logged; the other types stay available.
/// </summary>
public sealed partial class SchemaCatalog : IDisposable
{
    private readonly SchemaCatalogOptions _options;
    private readonly ILogger<SchemaCatalog> _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly FileSystemWatcher? _watcher;
    private volatile Loaded? _loaded;
    private int _watcherSawChange;

    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public SchemaCatalog(SchemaCatalogOptions options, ILogger<SchemaCatalog>? logger = null)
    {
        if (!Directory.Exists(options.Folder))
        {
            throw new DirectoryNotFoundException($"The schema folder '{Path.GetFullPath(options.Folder)}' does not exist.");
        }

        _options = options;
        _logger = logger ?? NullLogger<SchemaCatalog>.Instance;
        _watcher = Watch();
    }

    /// <summary>The grammar bounds of the built-in types, for other types to be built with the same.</summary>
    public GbnfOptions GrammarOptions => _options.Grammar;

    public async Task<SchemaCatalogSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded is { } current && Volatile.Read(ref _watcherSawChange) == 0 && current.Stamp == FolderStamp())
        {
            return current.Snapshot;
        }

        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Stamp and flag are taken before reading the files: a change made during the reload shows on the next
            // lookup and reloads again, rather than being lost.
            var watcherSawChange = Interlocked.Exchange(ref _watcherSawChange, 0) != 0;
            var stamp = FolderStamp();
            if (_loaded is { } reloaded && !watcherSawChange && reloaded.Stamp == stamp)
            {
                return reloaded.Snapshot;
            }

            var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
            _loaded = new Loaded(stamp, snapshot);
            return snapshot;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>The document type of that name, or null if there is none or its file failed to load.</summary>
    public async Task<DocumentSchema?> FindAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).Find(name);

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloadLock.Dispose();
    }

    private async Task<SchemaCatalogSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var schemas = new List<DocumentSchema>();
        var errors = new List<SchemaFileError>();
        foreach (var path in Directory.GetFiles(_options.Folder, "*.json").Order(StringComparer.Ordinal))
        {
            var (schema, error) = await SchemaFileLoader.LoadAsync(path, _options.Grammar, cancellationToken).ConfigureAwait(false);
            if (schema is not null)
            {
                schemas.Add(schema);
            }
            else
            {
                errors.Add(error!);
                LogFileNotLoaded(_logger, error!.FileName, error.Reason);
            }
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogLoaded(_logger, schemas.Count, _options.Folder, string.Join(", ", schemas.Select(schema => schema.Name)));
        }
        return new SchemaCatalogSnapshot(schemas, errors);
    }

    // Names, sizes and write times of the schema files: reading it is one directory listing, cheap enough for every
    // lookup, and it catches what a file watcher misses (bind mounts, network shares, an exhausted inotify limit).
    private string FolderStamp() => string.Join('\n', new DirectoryInfo(_options.Folder).EnumerateFiles("*.json")
        .Select(file => $"{file.Name}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}")
        .Order(StringComparer.Ordinal));

    // The watcher catches what the stamp can miss: a rewrite that keeps the size within the file system's timestamp
    // resolution.
    private FileSystemWatcher? Watch()
    {
        try
        {
            var watcher = new FileSystemWatcher(_options.Folder, "*.json")
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Changed += (_, _) => MarkChanged();
            watcher.Created += (_, _) => MarkChanged();
            watcher.Deleted += (_, _) => MarkChanged();
            watcher.Renamed += (_, _) => MarkChanged();
            watcher.Error += (_, _) => MarkChanged();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception error) when (error is IOException or PlatformNotSupportedException)
        {
            LogWatcherUnavailable(_logger, _options.Folder, error.Message);
            return null;
        }
    }

    private void MarkChanged() => Interlocked.Exchange(ref _watcherSawChange, 1);

    private sealed record Loaded(string Stamp, SchemaCatalogSnapshot Snapshot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} document types from {Folder}: {Names}")]
    private static partial void LogLoaded(ILogger logger, int count, string folder, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema file {FileName} not loaded: {Reason}")]
    private static partial void LogFileNotLoaded(ILogger logger, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cannot watch {Folder} for changes ({Reason}); schema changes are still found by comparing file times")]
    private static partial void LogWatcherUnavailable(ILogger logger, string folder, string reason);
}
