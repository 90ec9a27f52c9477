namespace DocExtract.Operations.Webhooks;

/// <summary>
/// Completion webhooks (issue #6), bound from the <c>Webhooks</c> section by both hosts: the API checks an upload's
/// callback and sends the deliveries, the worker records them when a document finishes.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Where callbacks may go, separated by commas: host (ports 80 and 443 only), host:port, or
    /// http(s)://host[:port] (e.g. "hooks.intranet, 127.0.0.1:8080, https://erp.intranet:8443"). Empty: no callback at
    /// all, since nothing may leave the box unless the operator says so.</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>Key of the HMAC-SHA256 signature; callbacks are refused while it is empty.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Callback per document type, called for every document of that type (beside an upload's own).</summary>
    public Dictionary<string, string> SchemaCallbacks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attempts before a delivery is given up as failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt, doubling after each further one up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the API looks for deliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public WebhookAllowList AllowList => WebhookAllowList.Parse(AllowedHosts);

    /// <summary>Why <paramref name="url"/> may not be called, or null when it may: an absolute http(s) URL without
    /// credentials whose host and port are on the allow-list, with a secret to sign with.</summary>
    public string? Refusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"the callback '{url}' is not an absolute http or https URL";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "the callback URL must not carry credentials";
        }

        var allowed = AllowList;
        if (allowed.Error is { } error)
        {
            return error;
        }
        if (!allowed.Endpoints.Any(e => e.Allows(uri)))
        {
            var target = $"{uri.Scheme}://{uri.Host}:{uri.Port}";
            return allowed.Endpoints.Count == 0
                ? $"callbacks are off: {target} is not on the allow-list, which is empty; an operator can add it to {Section}:AllowedHosts"
                : $"{target} is not on the callback allow-list ({allowed.Describe()}); an operator can add host:port to {Section}:AllowedHosts";
        }

        return string.IsNullOrEmpty(Secret)
            ? $"callbacks cannot be signed: {Section}:Secret is not set"
            : null;
    }
}
