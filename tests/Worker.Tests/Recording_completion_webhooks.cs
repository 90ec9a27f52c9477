using System.Text.Json;
using DocExtract.Persistence.Entities;
using DocExtract.TestSupport.Pdfs;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Worker.Tests;

public sealed class Recording_completion_webhooks : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Webhooks:AllowedHosts"] = "hooks.example.test",
        ["Webhooks:Secret"] = "s3cret",
        ["Webhooks:SchemaCallbacks:letter"] = "http://hooks.example.test/letters",
        ["Webhooks:SchemaCallbacks:receipt"] = "http://elsewhere.example.test/receipts",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_succeeded_upload_with_a_callback_owes_one_pending_delivery_describing_it()
    {
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("An invoice"), "invoice", "http://hooks.example.test/done");

        var delivery = Assert.Single(await DeliveriesAsync(id));
        Assert.Equal("http://hooks.example.test/done", delivery.Url);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        using var body = JsonDocument.Parse(delivery.Payload);
        Assert.Equal(id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("invoice", body.RootElement.GetProperty("schema").GetString());
        Assert.Equal($"/documents/{id}/result", body.RootElement.GetProperty("links").GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_uploads_callback_is_left_to_the_api_to_judge_and_recorded_pending()
    {
        // The API judged it at upload and judges it again at send, with its own list (issue #15): a worker whose list
        // differs must not fail the delivery silently.
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("An invoice"), "invoice", "http://judged-by-the-api.example.test:8080/done");

        var delivery = Assert.Single(await DeliveriesAsync(id));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Null(delivery.LastError);
    }

    [Fact]
    public async Task A_type_with_a_callback_adds_its_own_beside_the_uploads()
    {
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A letter"), "letter", "http://hooks.example.test/done");

        Assert.Equal(["http://hooks.example.test/done", "http://hooks.example.test/letters"],
            (await DeliveriesAsync(id)).Select(d => d.Url).Order());
    }

    [Fact]
    public async Task A_type_callback_off_the_allow_list_is_recorded_as_failed_and_never_pending()
    {
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("A receipt"), "receipt");

        var delivery = Assert.Single(await DeliveriesAsync(id));
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.StartsWith("refused by the allow-list: http://elsewhere.example.test:80 is not on the callback allow-list", delivery.LastError);
    }

    [Fact]
    public async Task A_failed_document_is_reported_failed_with_its_reason()
    {
        var id = await _harness.ProcessAsync("%PDF-1.7\nthis is not really a PDF"u8.ToArray(), "invoice", "http://hooks.example.test/done");

        var delivery = Assert.Single(await DeliveriesAsync(id));
        using var body = JsonDocument.Parse(delivery.Payload);
        Assert.Equal("failed", body.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("failureReason").GetString()));
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("links").GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task A_document_without_callbacks_owes_none()
    {
        var id = await _harness.ProcessAsync(TestPdfs.WithPages("An invoice"), "invoice");

        Assert.Empty(await DeliveriesAsync(id));
    }

    private async Task<List<WebhookDelivery>> DeliveriesAsync(Guid id)
    {
        await using var db = _harness.Database.CreateContext();
        return await db.WebhookDeliveries.Where(d => d.DocumentId == id).ToListAsync();
    }
}
