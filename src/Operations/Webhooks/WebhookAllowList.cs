using System.Security.Cryptography;
using System.Text;

namespace DocExtract.Operations.Webhooks;

/// <summary>
/// One entry of Webhooks:AllowedHosts: a host and a port, optionally a scheme (issue #15: a list of bare host names let
/// a callback reach any port of an allowed host, PostgreSQL's and RabbitMQ's included). Without a port an entry allows
/// only the scheme's default port (80 for http, 443 for https); without a scheme, both schemes.
/// </summary>
public sealed record AllowedEndpoint(string? Scheme, string Host, int? Port)
{
    public bool Allows(Uri uri) =>
        (Scheme is null || Scheme == uri.Scheme) &&
        string.Equals(Host, uri.Host, StringComparison.OrdinalIgnoreCase) &&
        (Port is { } port ? uri.Port == port : uri.IsDefaultPort);

    public override string ToString() => (Scheme is null ? "" : $"{Scheme}://") + Host + (Port is { } port ? $":{port}" : "");
}

/// <summary>The parsed allow-list, the one rule the API (at upload and at send) and the worker (per-type URLs) apply.</summary>
public sealed record WebhookAllowList(IReadOnlyList<AllowedEndpoint> Endpoints, string? Error)
{
    /// <summary>
    /// A short hash of the effective list, logged at start by the API and the worker: the two must match, since the
    /// API judges upload callbacks and sends, and the worker judges per-type callbacks.
    /// </summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', Endpoints.Select(e => e.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)))))[..12];

    public string Describe() => string.Join(", ", Endpoints.Select(e => e.Port is null && e.Scheme is null ? $"{e} (ports 80, 443)" : e.ToString()));

    public static WebhookAllowList Parse(string entries)
    {
        var endpoints = new List<AllowedEndpoint>();
        foreach (var entry in entries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseEntry(entry) is not { } endpoint)
            {
                return new([], $"{WebhookOptions.Section}:AllowedHosts entry '{entry}' is not host, host:port, http://host[:port] or https://host[:port]");
            }
            endpoints.Add(endpoint);
        }
        return new(endpoints, null);
    }

    private static AllowedEndpoint? ParseEntry(string entry)
    {
        string? scheme = null;
        var authority = entry;
        var separator = entry.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = entry[..separator].ToLowerInvariant();
            authority = entry[(separator + 3)..].TrimEnd('/');
            if (scheme is not ("http" or "https"))
            {
                return null;
            }
        }
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < authority.Length && authority[close + 1] != ':'))
            {
                return null;
            }
            host = authority[..(close + 1)];
            port = close + 1 < authority.Length ? authority[(close + 2)..] : null;
        }
        else
        {
            var parts = authority.Split(':');
            if (parts.Length > 2)
            {
                return null;
            }
            host = parts[0];
            port = parts.Length == 2 ? parts[1] : null;
        }
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            return null;
        }
        if (port is null)
        {
            return new AllowedEndpoint(scheme, host.ToLowerInvariant(), null);
        }
        return int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? new AllowedEndpoint(scheme, host.ToLowerInvariant(), number)
            : null;
    }
}
