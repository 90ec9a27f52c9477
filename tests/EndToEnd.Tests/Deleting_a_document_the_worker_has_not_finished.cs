using System.Net;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// DELETE /documents/{id} while its command is already on the RabbitMQ queue, or while a worker is extracting it:
/// the message is consumed and dropped, and nothing of the document comes back (issue #7).
/// </summary>
public sealed class Deleting_a_document_the_worker_has_not_finished : IAsyncLifetime
{
    private readonly BareService _service = new();
    private readonly SlowPdftotext _slowTool = new(seconds: 4);

    public Task InitializeAsync() => _service.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _slowTool.Dispose();
    }

    [Fact]
    public async Task A_message_already_queued_is_dropped_not_resurrected()
    {
        await _service.StartApiAsync();
        var id = await _service.UploadAsync(TestPdfs.Invoice($"queued-then-deleted-{Guid.NewGuid()}"));
        await Eventually.WaitAsync(
            () => _service.Database.ScalarAsync<DateTime?>("SELECT sent_at FROM outbox WHERE payload->>'DocumentId' = $1", id.ToString()),
            TimeSpan.FromSeconds(30), "the relay to put the command on the queue");
        Assert.Equal(1u, await _service.Queue.MessageCountAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _service.Http.DeleteAsync($"/documents/{id}")).StatusCode);
        var worker = _service.StartWorker();
        await Eventually.WaitAsync(async () => await _service.Queue.MessageCountAsync() == 0 && worker.Output.Contains("the document was deleted", StringComparison.Ordinal) ? "consumed" : null,
            TimeSpan.FromSeconds(60), "the worker to consume and drop the message");

        await AssertGoneAsync(id);
    }

    [Fact]
    public async Task A_document_deleted_while_the_worker_extracts_it_stays_deleted()
    {
        await _service.StartApiAsync();
        var worker = _service.StartWorker(_slowTool.Settings, "slow worker");
        var id = await _service.UploadAsync(TestPdfs.Invoice($"deleted-in-flight-{Guid.NewGuid()}"));
        await Eventually.WaitAsync(
            async () => await _service.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1 AND status = 'processing'", id),
            TimeSpan.FromSeconds(60), "the worker to start on the document");

        Assert.Equal(HttpStatusCode.NoContent, (await _service.Http.DeleteAsync($"/documents/{id}")).StatusCode);
        await Eventually.WaitAsync(
            () => Task.FromResult(worker.Output.Contains("the document was deleted while it was processed", StringComparison.Ordinal) ? "dropped" : null),
            TimeSpan.FromSeconds(60), "the worker to drop the deleted document");

        await AssertGoneAsync(id);
        Assert.Equal(0u, await _service.Queue.MessageCountAsync());
    }

    private async Task AssertGoneAsync(Guid id)
    {
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE id = $1", id));
        Assert.Equal(0L, await _service.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
        Assert.Equal(HttpStatusCode.NotFound, (await _service.Http.GetAsync($"/documents/{id}")).StatusCode);
        Assert.Equal(1L, await _service.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE document_id = $1 AND action = 'document.deleted'", id));
    }
}
