using RabbitMQ.Client;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// A queue name of its own per test class, so tests running side by side on one RabbitMQ never take each
/// other's messages; the queues MassTransit made for it are deleted afterwards.
/// </summary>
public sealed class TestQueue : IAsyncDisposable
{
    public string Name { get; } = $"extract-document-test-{Guid.NewGuid():N}";

    /// <summary>
    /// The suffixes of the delay queues a worker declares with the default Worker:DelayedRedeliveries (1, 5 and 15
    /// minutes, #16); the worker's tests hold them to WorkerOptions.DefaultDelayedRedeliveries.
    /// </summary>
    public static IReadOnlyList<string> DefaultDelaySuffixes { get; } = ["-delay-60s", "-delay-300s", "-delay-900s"];

    /// <summary>Queues and exchanges of this test's own making (e.g. delay queues of other delays), deleted with the rest.</summary>
    public List<string> AlsoDelete { get; } = [];

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RabbitMq:Host"] = TestServers.RabbitHost,
        ["RabbitMq:Port"] = TestServers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:ExtractQueue"] = Name,
    };

    public Task<uint> MessageCountAsync() => MessageCountAsync(Name);

    /// <summary>The queue of model tier <paramref name="tier"/> (#12): <see cref="Name"/> for tier 0.</summary>
    public string OfTier(int tier) => tier == 0 ? Name : $"{Name}-tier-{tier}";

    public static async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = await ConnectAsync();
        var inputs = new[] { Name, $"{Name}-faults", OfTier(1) };
        foreach (var queue in inputs.SelectMany(input => new[] { input, $"{input}_error", $"{input}_skipped" })
            .Concat(inputs.SelectMany(input => DefaultDelaySuffixes.Select(suffix => input + suffix)))
            .Concat(AlsoDelete))
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeleteAsync(queue);
                await channel.ExchangeDeleteAsync(queue);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // Never declared: nothing to clean.
            }
        }
    }

    private static Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { HostName = TestServers.RabbitHost, Port = TestServers.RabbitPort }.CreateConnectionAsync();
}
