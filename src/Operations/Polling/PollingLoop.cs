namespace DocExtract.Operations.Polling;

/// <summary>
/// The loop of the background services that look for work in the database (the outbox relay, the webhook dispatcher,
/// retention): a pass, then a wait of <paramref name="Interval"/> that <paramref name="Wake"/> cuts short; after a
/// failed pass (PostgreSQL or RabbitMQ away) a wait of <paramref name="Backoff"/>, which a wake does not cut short,
/// since whatever woke it needs the same servers. The work waits in the database meanwhile, so nothing is lost.
/// Stopping the host ends the loop, mid-wait or mid-pass.
/// </summary>
public sealed record PollingLoop(TimeSpan Interval, Backoff Backoff, TimeProvider Clock, WakeSignal? Wake = null)
{
    /// <param name="passAsync">One pass; it drains what it can and returns, or throws to back off.</param>
    /// <param name="failed">Told of each failed pass and how long the loop waits before the next.</param>
    public async Task RunAsync(Func<CancellationToken, Task> passAsync, Action<Exception, TimeSpan> failed, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await passAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                failed(e, Backoff.After(failures));
            }

            try
            {
                if (failures > 0)
                {
                    await Task.Delay(Backoff.After(failures), Clock, stoppingToken);
                }
                else if (Wake is not null)
                {
                    await Wake.WaitAsync(Interval, Clock, stoppingToken);
                }
                else
                {
                    await Task.Delay(Interval, Clock, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
