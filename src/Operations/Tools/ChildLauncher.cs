using System.Collections.Concurrent;
using System.Diagnostics;

namespace DocExtract.Operations.Tools;

/// <summary>
/// Starts every tool from one thread that lives as long as the worker. PR_SET_PDEATHSIG (set by setpriv) fires when
/// the *thread* that forked the child ends, not the process: started from a thread-pool thread, a tool would be
/// killed whenever the pool retired that thread mid-run. Starting a process takes milliseconds, so one thread is
/// no bottleneck.
/// </summary>
internal static class ChildLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _queue = [];
    private static readonly Lazy<Thread> _thread = new(StartThread);

    public static Task StartAsync(Process process)
    {
        _ = _thread.Value;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((process, started));
        return started.Task;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "DocExtract tool launcher",
        };
        thread.Start();
        return thread;
    }
}
