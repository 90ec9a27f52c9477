namespace DocExtract.TestSupport;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> yields a value, or fails saying what it waited for.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}");
            }
            await Task.Delay(100);
        }
    }
}
