using System.Runtime.InteropServices;

namespace DocExtract.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation token instead of an abrupt exit, so a command can leave its files
/// in a state it can resume from (`models pull` keeps its .partial) and say so.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    private Interruption() =>
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            _source.Cancel();
        }))];

    public CancellationToken Token => _source.Token;

    public static Interruption Watch() => new();

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }
}
