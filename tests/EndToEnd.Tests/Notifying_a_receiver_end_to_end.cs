using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>The service with completion webhooks allowed to loopback, and a real receiver there.</summary>
public sealed class WebhookService() : Service(startProcesses: false)
{
    public const string Secret = "end-to-end-secret";

    public WebhookReceiver Receiver { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
        var webhooks = new Dictionary<string, string?>
        {
            ["Webhooks:AllowedHosts"] = $"127.0.0.1:{new Uri(Receiver.Url).Port}",
            ["Webhooks:Secret"] = Secret,
            ["Webhooks:PollInterval"] = "00:00:00.200",
            ["Webhooks:RetryBaseDelay"] = "00:00:00.500",
        };
        await StartApiAsync(webhooks);
        StartWorker(webhooks);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class Notifying_a_receiver_end_to_end(WebhookService service) : IClassFixture<WebhookService>
{
    [Fact]
    public async Task The_api_and_the_worker_log_the_same_allow_list_fingerprint_at_start()
    {
        var port = new Uri(service.Receiver.Url).Port;
        var line = $"only to 127.0.0.1:{port} (Webhooks:AllowedHosts, fingerprint {DocExtract.Operations.Webhooks.WebhookAllowList.Parse($"127.0.0.1:{port}").Fingerprint})";

        await Eventually.WaitAsync(
            () => Task.FromResult(service.Logs.Split(line).Length - 1 >= 2 ? "both" : null),
            TimeSpan.FromSeconds(30), $"'{line}' from the API and the worker\n{service.Logs}");
    }

    [Fact]
    public async Task An_upload_with_a_callback_is_announced_signed_once_it_succeeds_also_after_a_500()
    {
        service.Receiver.AnswerNext(500);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestPdfs.Invoice("webhook-e2e")), "file", "hooked.pdf" },
            { new StringContent("invoice"), "schema" },
            { new StringContent(service.Receiver.Url), "callback" },
        };
        using var upload = await service.Http.PostAsync("/documents", form);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
        var id = (await JsonSerializer.DeserializeAsync<JsonElement>(await upload.Content.ReadAsStreamAsync())).GetProperty("id").GetGuid();

        await service.WaitForTerminalAsync(id);
        await Eventually.WaitAsync(() => Task.FromResult(service.Receiver.Requests.Count >= 2 ? "both" : null),
            TimeSpan.FromSeconds(30), $"two webhook attempts\n{service.Logs}");

        var attempts = service.Receiver.Requests.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        var last = attempts[1];
        using var body = JsonDocument.Parse(last.Body);
        Assert.Equal(id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal("succeeded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("invoice", body.RootElement.GetProperty("schema").GetString());
        Assert.Equal("hooked.pdf", body.RootElement.GetProperty("fileName").GetString());
        Assert.Equal($"/documents/{id}/result", body.RootElement.GetProperty("links").GetProperty("result").GetString());
        var timestamp = long.Parse(last.Headers["X-DocExtract-Timestamp"], CultureInfo.InvariantCulture);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(WebhookService.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{last.Body}"))),
            last.Headers["X-DocExtract-Signature"]);
        using var result = await service.Http.GetAsync(body.RootElement.GetProperty("links").GetProperty("result").GetString());
        Assert.True(result.IsSuccessStatusCode);
    }
}
