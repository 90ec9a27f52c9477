using DocExtract.Operations.Webhooks;

namespace DocExtract.Api.Tests;

/// <summary>Allow-list entries name host and port (issue #15); the same rule serves the API at upload and send and the worker.</summary>
public sealed class Reading_the_webhook_allow_list
{
    private static WebhookOptions With(string allowed) => new() { AllowedHosts = allowed, Secret = "s" };

    [Theory]
    [InlineData("localhost", "http://localhost/hook", true)]
    [InlineData("localhost", "https://localhost/hook", true)]
    [InlineData("localhost", "http://localhost:80/hook", true)]
    [InlineData("localhost", "http://localhost:5432/", false)]
    [InlineData("localhost", "http://localhost:5672/", false)]
    [InlineData("localhost", "http://localhost:8080/documents", false)]
    [InlineData("localhost", "http://localhost:443/", false)]
    [InlineData("localhost:8080", "http://localhost:8080/hook", true)]
    [InlineData("localhost:8080", "https://localhost:8080/hook", true)]
    [InlineData("localhost:8080", "http://localhost/hook", false)]
    [InlineData("https://hooks.intranet", "https://hooks.intranet/x", true)]
    [InlineData("https://hooks.intranet", "http://hooks.intranet/x", false)]
    [InlineData("http://hooks.intranet:8443/", "http://hooks.intranet:8443/x", true)]
    [InlineData("http://hooks.intranet:8443", "https://hooks.intranet:8443/x", false)]
    [InlineData("[::1]:9000", "http://[::1]:9000/x", true)]
    [InlineData("[::1]:9000", "http://[::1]:9001/x", false)]
    [InlineData("Hooks.Intranet:81, 10.0.0.5", "http://hooks.intranet:81/", true)]
    [InlineData("Hooks.Intranet:81, 10.0.0.5", "http://10.0.0.5:81/", false)]
    public void A_callback_is_allowed_only_on_a_listed_host_and_port(string allowed, string url, bool expected) =>
        Assert.Equal(expected, With(allowed).Refusal(url) is null);

    [Theory]
    [InlineData("localhost:")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:http")]
    [InlineData("ftp://files.intranet")]
    [InlineData("a b")]
    [InlineData("[::1")]
    public void A_malformed_entry_is_an_error_naming_it(string entry)
    {
        var list = WebhookAllowList.Parse($"hooks.intranet, {entry}");

        Assert.Equal($"Webhooks:AllowedHosts entry '{entry}' is not host, host:port, http://host[:port] or https://host[:port]", list.Error);
        Assert.Equal(list.Error, With($"hooks.intranet, {entry}").Refusal("http://hooks.intranet/"));
    }

    [Fact]
    public void The_fingerprint_is_the_same_for_the_same_entries_in_any_order_or_case_and_differs_otherwise()
    {
        var fingerprint = WebhookAllowList.Parse("a.intranet:8080, B.intranet").Fingerprint;

        Assert.Equal(fingerprint, WebhookAllowList.Parse(" b.intranet,a.intranet:8080 ").Fingerprint);
        Assert.NotEqual(fingerprint, WebhookAllowList.Parse("a.intranet:8081, b.intranet").Fingerprint);
        Assert.Equal(12, fingerprint.Length);
    }
}
