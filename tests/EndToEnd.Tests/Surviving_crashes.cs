using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

public sealed class Surviving_crashes : IAsyncLifetime
{
    private readonly BareService _service = new();

    // Five seconds a document: time to kill the worker in the middle of one.
    private readonly SlowPdftotext _slowTool = new(seconds: 5);

    public Task InitializeAsync() => _service.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _slowTool.Dispose();
    }

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_document_leaves_it_to_succeed_exactly_once_after_a_restart()
    {
        await _service.StartApiAsync();
        var victim = _service.StartWorker(_slowTool.Settings, "worker to kill");
        var id = await _service.UploadAsync(TestPdfs.Invoice($"crash-{Guid.NewGuid()}"));
        await Eventually.WaitAsync(
            async () => await _service.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1 AND status = 'processing'", id),
            TimeSpan.FromSeconds(60), "the worker to start processing the document");

        await victim.KillAsync();
        _service.StartWorker(name: "restarted worker");
        var document = await _service.WaitForTerminalAsync(id);

        Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        Assert.True(document.GetProperty("attempts").GetInt32() >= 2, "the restarted worker did not pick the document up again");
    }

    [Fact]
    public async Task An_api_that_dies_between_commit_and_publish_loses_nothing()
    {
        var dying = await _service.StartApiAsync(new Dictionary<string, string?> { ["Outbox:RelayEnabled"] = "false" });
        var id = await _service.UploadAsync(TestPdfs.Invoice($"outbox-{Guid.NewGuid()}"));
        await dying.KillAsync();
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND payload->>'DocumentId' = $1", id.ToString()));
        Assert.Equal("queued", await _service.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id));

        await _service.StartApiAsync();
        _service.StartWorker();
        var document = await _service.WaitForTerminalAsync(id);

        Assert.True(document.GetProperty("status").GetString() == "succeeded", _service.Logs);
    }
}
