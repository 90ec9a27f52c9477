using System.Net;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;
using DocExtract.Worker.Messaging;
using DocExtract.Worker.Processing;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// PostgreSQL goes away from the worker for longer than its in-memory retries (#16): the messages wait in RabbitMQ's
/// delay queues, their slots free, and come back. The worker reaches PostgreSQL through a relay the test cuts, so the
/// machine's server, shared with every test running beside, stays up.
/// </summary>
public sealed class Waiting_out_an_outage_in_delay_queues : IAsyncLifetime
{
    private readonly BareService _service = new();
    private TcpRelay _postgres = null!;

    public async Task InitializeAsync()
    {
        await _service.InitializeAsync();
        await _service.StartApiAsync();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(_service.Database.ConnectionString);
        _postgres = TcpRelay.Start(IPAddress.Loopback, new IPEndPoint(IPAddress.Parse(direct.Host!), direct.Port));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Documents_wait_in_the_delay_queue_while_postgresql_is_away_and_each_succeeds_once_after()
    {
        var delays = Enumerable.Repeat(TimeSpan.FromSeconds(2), 5).ToList();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}") };
        var worker = await StartWorkerAsync(delays, new() { ["Management:Urls"] = management.BaseAddress.ToString() });
        _postgres.Cut();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _service.UploadAsync(TestPdfs.Invoice($"delayed-{i}-{Guid.NewGuid()}")));
        }

        // A second redelivery: the message went into the delay queue, came back to the input queue and failed again.
        await worker.WaitForOutputAsync("delayed redelivery 2 of 5", TimeSpan.FromSeconds(60));
        // Nothing terminal meanwhile: the worker never reached PostgreSQL, so the documents are still queued as uploaded
        // (one cut off midway stays processing).
        foreach (var id in ids)
        {
            Assert.Equal("queued", (await _service.DocumentAsync(id)).GetProperty("status").GetString());
        }
        _postgres.Mend();

        foreach (var id in ids)
        {
            var document = await _service.WaitForTerminalAsync(id, TimeSpan.FromSeconds(60));
            Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
            Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        }
        Assert.Contains($"in {DelayQueues.Name(_service.Queue.Name, TimeSpan.FromSeconds(2))}", worker.Output, StringComparison.Ordinal);
        var scrape = await management.GetStringAsync("/metrics");
        Assert.Contains(scrape.Split('\n'), line => line.StartsWith("docextract_redeliveries_total{", StringComparison.Ordinal)
            && line.Contains($"queue=\"{_service.Queue.Name}\"", StringComparison.Ordinal) && line.Contains("redelivery=\"2\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_waiting_in_a_delay_queue_outlives_its_worker()
    {
        var first = await StartWorkerAsync([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)]);
        _postgres.Cut();
        var id = await _service.UploadAsync(TestPdfs.Invoice($"restart-{Guid.NewGuid()}"));
        await first.WaitForOutputAsync("delayed redelivery 1 of 2", TimeSpan.FromSeconds(60));

        // Acknowledged and in RabbitMQ's keeping: the worker's death loses nothing, the next worker gets it back.
        await first.KillAsync();
        _postgres.Mend();
        var second = await StartWorkerAsync([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)]);

        var document = await _service.WaitForTerminalAsync(id, TimeSpan.FromSeconds(60));
        Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        Assert.DoesNotContain("delayed redelivery", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delays_running_out_fail_the_document_saying_how_long_it_was_retried()
    {
        var worker = await StartWorkerAsync([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)]);
        _postgres.Cut();
        var id = await _service.UploadAsync(TestPdfs.Invoice($"delays-run-out-{Guid.NewGuid()}"));

        // Failing the document needs PostgreSQL too: its fault waits in the fault queue's own delay queue.
        await worker.WaitForOutputAsync($"in {DelayQueues.Name($"{_service.Queue.Name}-faults", TimeSpan.FromSeconds(1))}", TimeSpan.FromSeconds(60));
        Assert.Contains("delayed redelivery 2 of 2: waiting 4 s", worker.Output, StringComparison.Ordinal);
        _postgres.Mend();

        var document = await _service.WaitForTerminalAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Contains(
            "retried 1 time in memory (Worker:TransientRetries), then redelivered after 1 s and 4 s (Worker:DelayedRedeliveries): for over 5 s; re-extract it once the service is healthy",
            document.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
    }

    [Fact]
    public void The_test_queues_clean_up_the_delay_queues_of_the_default_delays()
    {
        Assert.Equal(
            WorkerOptions.DefaultDelayedRedeliveries.Select(delay => DelayQueues.Name("q", delay)),
            TestQueue.DefaultDelaySuffixes.Select(suffix => "q" + suffix));
    }

    private async Task<ServiceProcess> StartWorkerAsync(IReadOnlyList<TimeSpan> delays, Dictionary<string, string?>? extra = null)
    {
        var relayed = new Npgsql.NpgsqlConnectionStringBuilder(_service.Database.ConnectionString)
        {
            Host = _postgres.Endpoint.Address.ToString(),
            Port = _postgres.Endpoint.Port,
        };
        var settings = new Dictionary<string, string?>(extra ?? [])
        {
            ["ConnectionStrings:Postgres"] = relayed.ConnectionString,
            ["Worker:TransientRetries"] = "1",
        };
        foreach (var (delay, i) in delays.Select((delay, i) => (delay, i)))
        {
            settings[$"Worker:DelayedRedeliveries:{i}"] = delay.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var queue in new[] { _service.Queue.Name, $"{_service.Queue.Name}-faults" })
        {
            _service.Queue.AlsoDelete.AddRange(delays.Distinct().Select(delay => DelayQueues.Name(queue, delay)));
        }
        var worker = _service.StartWorker(settings);
        // Declared at start: the worker is up and talks to RabbitMQ before PostgreSQL goes.
        await worker.WaitForOutputAsync($"Delay queues of {_service.Queue.Name}-faults declared", TimeSpan.FromSeconds(60));
        return worker;
    }
}
