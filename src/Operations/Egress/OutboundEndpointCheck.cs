using System.Net;
using System.Net.Sockets;
using System.Text;
using DocExtract.Contracts;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DocExtract.Operations.Egress;

/// <summary>
/// Before anything connects, logs in one block every server this process is configured to reach, where each
/// resolves and whether that is loopback, private or public; and refuses to start when one is public, unless
/// Egress:AllowPublicAddresses says so (then it warns). Nothing may leave the box (issue #7): PostgreSQL and
/// RabbitMQ belong on the firm's own network, and these are the only outbound connections the code makes.
/// </summary>
public sealed partial class OutboundEndpointCheck(IConfiguration configuration, ILogger<OutboundEndpointCheck> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan _resolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Every server the configuration points this process at.</summary>
    public static IReadOnlyList<OutboundEndpoint> Configured(IConfiguration configuration)
    {
        var endpoints = new List<OutboundEndpoint>();
        var postgres = new NpgsqlConnectionStringBuilder(configuration.GetPostgresConnectionString());
        // Npgsql takes several hosts separated by commas (failover), each with an optional port.
        foreach (var host in (postgres.Host ?? "localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = host.LastIndexOf(':');
            endpoints.Add(colon > 0 && !host.Contains(']', StringComparison.Ordinal) && host.Count(c => c == ':') == 1
                ? new OutboundEndpoint("PostgreSQL", host[..colon], int.Parse(host[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture))
                : new OutboundEndpoint("PostgreSQL", host.Trim('[', ']'), postgres.Port));
        }
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        endpoints.Add(new OutboundEndpoint("RabbitMQ", rabbit.Host, rabbit.Port));
        return endpoints;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var allowPublic = configuration.GetValue<bool>($"{EgressOptions.Section}:{nameof(EgressOptions.AllowPublicAddresses)}");
        var report = new StringBuilder("Outbound endpoints this process is configured to use (it connects to nothing else):");
        var publicOnes = new List<string>();
        foreach (var endpoint in Configured(configuration))
        {
            var (addresses, scope) = await ResolveAsync(endpoint, cancellationToken);
            report.Append("\n  ").Append(endpoint).Append(" -> ").Append(addresses);
            if (scope == AddressScope.Public)
            {
                publicOnes.Add(endpoint.ToString());
            }
        }
        // Webhook receivers are the one outbound call an operator may add (issue #6): the allow-list, not resolved here
        // (a receiver may be down at start), is every host and port a callback can reach. Its fingerprint is logged by
        // the API and the worker alike, so a difference between them shows at start (issue #15).
        var webhooks = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        var allowList = webhooks.AllowList;
        report.Append("\n  webhooks: ").Append(allowList.Endpoints.Count == 0
            ? "none (Webhooks:AllowedHosts is empty)"
            : $"only to {allowList.Describe()} (Webhooks:AllowedHosts, fingerprint {allowList.Fingerprint})");
        LogEndpoints(logger, report.ToString());
        foreach (var (type, url) in webhooks.SchemaCallbacks.Where(c => !string.IsNullOrWhiteSpace(c.Value)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (webhooks.Refusal(url) is { } refusal)
            {
                LogSchemaCallbackRefused(logger, type, refusal);
            }
        }

        if (publicOnes.Count == 0)
        {
            return;
        }
        var message = $"{string.Join(", ", publicOnes)} lies at a public address: DocExtract's servers belong on the firm's own " +
            "network (loopback or private ranges); point the setting at the internal server, or set Egress:AllowPublicAddresses=true " +
            "if this address is in fact yours";
        if (allowPublic)
        {
            LogPublicAllowed(logger, message);
            return;
        }
        LogRefused(logger, message);
        throw new InvalidOperationException($"refusing to start: {message}");
    }

    private static async Task<(string Addresses, AddressScope? Scope)> ResolveAsync(OutboundEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Host.StartsWith('/'))
        {
            return ("local socket", AddressScope.Loopback);
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_resolveTimeout);
                addresses = await Dns.GetHostAddressesAsync(endpoint.Host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The server may simply not be up yet (compose starts services side by side): say so, decide nothing.
                return ($"not resolvable now ({e.Message})", null);
            }
        }
        var scopes = addresses.Select(AddressScopes.Of).ToList();
        var worst = scopes.Count == 0 ? (AddressScope?)null : scopes.Max();
        var text = string.Join(", ", addresses.Zip(scopes, (address, scope) => $"{address} ({scope.ToString().ToLowerInvariant()})"));
        return (text, worst);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Report}")]
    private static partial void LogEndpoints(ILogger logger, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks:SchemaCallbacks:{Type} will not be called: {Refusal}")]
    private static partial void LogSchemaCallbackRefused(ILogger logger, string type, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allowed by Egress:AllowPublicAddresses: {Problem}")]
    private static partial void LogPublicAllowed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refusing to start: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);
}
