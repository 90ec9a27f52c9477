using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DocExtract.Llama.Tests;

public sealed record LogEntry(LogLevel Level, EventId EventId, string Message);

/// <summary>Keeps every entry at every level, so tests can check what the binding logs and at which level.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception)));
}
