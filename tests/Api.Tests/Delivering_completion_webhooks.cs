using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence.Entities;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Servers;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Tests;

/// <summary>
/// An API whose webhook dispatcher may call its receiver's port on loopback (and port 9, where nothing listens), retrying
/// fast so the tests need not wait minutes.
/// </summary>
public sealed class WebhookApiFixture : ApiFixture
{
    public const string Secret = "test-secret-\u00e9";
    public const int ClosedPort = 9;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowedHosts"] = $"127.0.0.1:{new Uri(Receiver.Url).Port}, 127.0.0.1:{ClosedPort}, hooks.example.test",
        ["Webhooks:Secret"] = Secret,
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.200",
        ["Webhooks:MaxRetryDelay"] = "00:00:01",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:Timeout"] = "00:00:05",
    };
}

public sealed class Delivering_completion_webhooks : IClassFixture<WebhookApiFixture>
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(20);
    private readonly WebhookApiFixture _api;
    private readonly WebhookReceiver _receiver;

    public Delivering_completion_webhooks(WebhookApiFixture fixture)
    {
        _api = fixture;
        _receiver = fixture.Receiver;
        _receiver.Clear();
    }

    [Fact]
    public async Task The_receiver_gets_the_body_signed_over_its_timestamp()
    {
        var (delivery, payload) = await QueueAsync(_receiver.Url);

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Delivered);

        var received = Assert.Single(_receiver.Requests);
        Assert.Equal(payload, received.Body);
        Assert.StartsWith("application/json", received.ContentType);
        var timestamp = long.Parse(received.Headers["X-DocExtract-Timestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 60);
        // The receiver's side, as the README tells it: HMAC-SHA256 over "{timestamp}.{body}" with the shared secret.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(WebhookApiFixture.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{received.Body}")));
        Assert.Equal(expected, received.Headers["X-DocExtract-Signature"]);
        Assert.Equal(delivery.ToString(), received.Headers["X-DocExtract-Delivery"]);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.CompletedAt);
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_or_body_does_not_match()
    {
        var (delivery, _) = await QueueAsync(_receiver.Url);
        await UntilAsync(delivery, WebhookDeliveryStatus.Delivered);

        var received = Assert.Single(_receiver.Requests);
        var timestamp = received.Headers["X-DocExtract-Timestamp"];
        var forged = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("another secret"), Encoding.UTF8.GetBytes($"{timestamp}.{received.Body}")));
        var tampered = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(WebhookApiFixture.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{received.Body.Replace("succeeded", "failed", StringComparison.Ordinal)}")));
        Assert.NotEqual(forged, received.Headers["X-DocExtract-Signature"]);
        Assert.NotEqual(tampered, received.Headers["X-DocExtract-Signature"]);
    }

    [Fact]
    public async Task A_receiver_answering_500_gets_the_same_delivery_again_until_it_takes_it()
    {
        _receiver.AnswerNext(500, 503);
        var (delivery, payload) = await QueueAsync(_receiver.Url);

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Delivered);

        var attempts = _receiver.Requests.ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(payload, a.Body));
        Assert.All(attempts, a => Assert.Equal(delivery.ToString(), a.Headers["X-DocExtract-Delivery"]));
        Assert.Equal(["1", "2", "3"], attempts.Select(a => a.Headers["X-DocExtract-Attempt"]));
        Assert.Equal(3, row.Attempts);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_the_last_attempt_with_the_reason()
    {
        _receiver.AnswerNext(500, 500, 500, 500);
        var (delivery, _) = await QueueAsync(_receiver.Url);

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Failed);

        Assert.Equal(3, row.Attempts);
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal(WebhookDispatcher.FailedText, row.LastError);
    }

    [Fact]
    public async Task A_port_where_nothing_listens_fails_with_the_same_stored_error_as_a_receiver_answering_500()
    {
        // Were the two told apart in the table, it would read back as a scan of the allowed hosts' ports (issue #15).
        var (delivery, _) = await QueueAsync($"http://127.0.0.1:{WebhookApiFixture.ClosedPort}/hook");

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Failed);

        Assert.Equal(3, row.Attempts);
        Assert.Equal(WebhookDispatcher.FailedText, row.LastError);
    }

    [Fact]
    public async Task A_delivery_to_a_host_off_the_allow_list_is_never_sent()
    {
        // "localhost" reaches the same receiver, but only 127.0.0.1 is on the list.
        var (delivery, _) = await QueueAsync(_receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Failed);

        Assert.Empty(_receiver.Requests);
        Assert.StartsWith($"{WebhookDispatcher.RefusedPrefix}http://localhost:{new Uri(_receiver.Url).Port} is not on the callback allow-list", row.LastError);
    }

    [Theory]
    [InlineData(5432)]
    [InlineData(5672)]
    public async Task A_delivery_to_another_port_of_an_allowed_host_is_refused_and_never_sent(int port)
    {
        // PostgreSQL and RabbitMQ listen on 127.0.0.1 beside the receiver: an allowed host is not all its ports.
        var (delivery, _) = await QueueAsync($"http://127.0.0.1:{port}/");

        var row = await UntilAsync(delivery, WebhookDeliveryStatus.Failed);

        Assert.Equal(1, row.Attempts);
        Assert.StartsWith($"{WebhookDispatcher.RefusedPrefix}http://127.0.0.1:{port} is not on the callback allow-list", row.LastError);
    }

    private async Task<(Guid Delivery, string Payload)> QueueAsync(string url)
    {
        var document = await Seed.DocumentAsync(_api.Database, "invoice", DocumentStatus.Succeeded);
        var payload = $$$"""{"id":"{{{document.Id}}}","status":"succeeded","schema":"invoice","links":{"self":"/documents/{{{document.Id}}}"}}""";
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid(), DocumentId = document.Id, Url = url, Payload = payload, Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = DateTimeOffset.UtcNow, CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var db = _api.Database.CreateContext();
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return (delivery.Id, payload);
    }

    private async Task<WebhookDelivery> UntilAsync(Guid id, string status) =>
        await Eventually.WaitAsync(async () =>
        {
            await using var db = _api.Database.CreateContext();
            return await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.Status == status);
        }, _wait, $"delivery {id} to be {status}");
}
