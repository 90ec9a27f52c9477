using Microsoft.Extensions.Logging;

namespace DocExtract.Api.Tests;

/// <summary>Keeps the messages logged as information and as warnings, for tests of what a component reports.</summary>
internal sealed class ListLogger : ILogger
{
    public List<string> Information { get; } = [];

    public List<string> Warnings { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel == LogLevel.Warning)
        {
            Warnings.Add(formatter(state, exception));
        }
        else if (logLevel == LogLevel.Information)
        {
            Information.Add(formatter(state, exception));
        }
    }
}
