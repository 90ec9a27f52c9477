using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// RabbitMQ or PostgreSQL goes away while documents are in flight and comes back: every accepted document
/// reaches a terminal state, none twice. These tests stop the machine's real servers (scripts/services.sh
/// started them; the tests run one at a time) and always start them again.
/// </summary>
public sealed class Surviving_server_outages : IAsyncLifetime
{
    private readonly BareService _service = new();

    // The worker's readiness says when it has seen a server go: the outage then really cut documents in flight.
    private readonly HttpClient _workerManagement = new() { BaseAddress = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}") };

    // Half a second a document keeps several in flight when the server goes.
    private readonly SlowPdftotext _slowTool = new(seconds: 0.5);

    public async Task InitializeAsync()
    {
        await _service.InitializeAsync();
        await _service.StartApiAsync();
        _service.StartWorker(new Dictionary<string, string?>(_slowTool.Settings)
        {
            ["Management:Urls"] = _workerManagement.BaseAddress!.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await Server("rabbitmq-server", "start");
        await Server("postgresql", "start");
        await _service.DisposeAsync();
        _slowTool.Dispose();
        _workerManagement.Dispose();
    }

    [Fact]
    public async Task RabbitMQ_stopping_and_starting_again_loses_and_repeats_nothing()
    {
        var ids = await UploadAsync(6, "rabbit-before");
        try
        {
            await Server("rabbitmq-server", "stop");
            // The API keeps accepting: the commands wait in the outbox.
            ids.AddRange(await UploadAsync(3, "rabbit-during"));
            await WorkerNotReadyAsync("masstransit-bus");
        }
        finally
        {
            await Server("rabbitmq-server", "start");
        }

        await AssertEachSucceededOnceAsync(ids);
    }

    [Fact]
    public async Task PostgreSQL_stopping_and_starting_again_loses_and_repeats_nothing()
    {
        var ids = await UploadAsync(6, "postgres-before");
        HttpStatusCode duringOutage;
        try
        {
            await Server("postgresql", "stop");
            using var form = Form(TestPdfs.Invoice($"postgres-during-{Guid.NewGuid()}"));
            using var response = await _service.Http.PostAsync("/documents", form);
            duringOutage = response.StatusCode;
            Assert.Equal("5", response.Headers.RetryAfter?.ToString());
            await WorkerNotReadyAsync("postgresql");
        }
        finally
        {
            await Server("postgresql", "start");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, duringOutage);
        await AssertEachSucceededOnceAsync(ids);
    }

    private async Task<List<Guid>> UploadAsync(int count, string label)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await _service.UploadAsync(TestPdfs.Invoice($"{label}-{i}-{Guid.NewGuid()}")));
        }
        return ids;
    }

    /// <summary>Waits until the worker's /health/ready reports <paramref name="check"/> as no longer healthy.</summary>
    private Task WorkerNotReadyAsync(string check) => Eventually.WaitAsync(async () =>
    {
        try
        {
            // 503 when unhealthy, 200 when degraded: the body names each check's status either way.
            using var response = await _workerManagement.GetAsync("/health/ready");
            var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
            return checks.TryGetProperty(check, out var state) && state.GetProperty("status").GetString() != "Healthy" ? "seen" : null;
        }
        catch (HttpRequestException)
        {
            return null; // the management listener is not up yet
        }
    }, TimeSpan.FromSeconds(60), $"the worker's readiness to report '{check}' gone\n{_service.Logs}");

    private async Task AssertEachSucceededOnceAsync(IReadOnlyList<Guid> ids)
    {
        foreach (var id in ids)
        {
            var document = await Eventually.WaitAsync<JsonElement?>(async () =>
            {
                try
                {
                    var current = await _service.DocumentAsync(id);
                    return current.GetProperty("status").GetString() is "succeeded" or "failed" ? current : null;
                }
                catch (HttpRequestException)
                {
                    return null; // the API is still reconnecting to the database
                }
            }, TimeSpan.FromMinutes(3), $"document {id} to finish after the outage");
            Assert.True(document!.Value.GetProperty("status").GetString() == "succeeded", _service.Logs);
            Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        }
    }

    private static MultipartFormDataContent Form(byte[] pdf)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "outage.pdf");
        return form;
    }

    private static async Task Server(string name, string action)
    {
        using var process = Process.Start(new ProcessStartInfo("service", [name, action])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        if (action == "start")
        {
            // scripts/services.sh waits until the server really answers.
            using var ready = Process.Start(new ProcessStartInfo(Path.Combine(Repository.Root, "scripts", "services.sh"), ["start"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await ready.WaitForExitAsync();
            // This test process's own pooled connections died with the server (the services cope on their own).
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }
}
