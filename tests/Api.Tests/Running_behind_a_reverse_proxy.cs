using System.Net;
using System.Net.Http.Json;
using DocExtract.Api.Audit;
using DocExtract.Api.Review;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests;

/// <summary>
/// Api:TrustedProxies: a proxy that ends TLS says the client's scheme and address in X-Forwarded-Proto and -For; the
/// API believes them from the proxies the setting names, and from no one else.
/// </summary>
public sealed class Running_behind_a_reverse_proxy(
    Running_behind_a_reverse_proxy.TrustedLoopbackFixture trusted, Running_behind_a_reverse_proxy.OtherProxyFixture other)
    : IClassFixture<Running_behind_a_reverse_proxy.TrustedLoopbackFixture>, IClassFixture<Running_behind_a_reverse_proxy.OtherProxyFixture>
{
    private const string Client = "203.0.113.7";

    [Fact]
    public async Task A_named_proxy_makes_the_session_cookie_secure_and_the_audit_trail_name_the_client()
    {
        var (cookie, remote) = await SignInThroughProxyAsync(trusted);

        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Client, remote);
    }

    [Fact]
    public async Task The_same_headers_from_a_peer_that_is_not_named_are_ignored()
    {
        var (cookie, remote) = await SignInThroughProxyAsync(other);

        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("127.0.0.1", remote);
    }

    /// <summary>
    /// Signs in to the review screen over plain http as a TLS-ending proxy would pass it on: the session's CSRF token
    /// first, then the sign-in. Cookies are carried by hand: a cookie container would not send a Secure cookie over http.
    /// </summary>
    private static async Task<(string Cookie, string? Remote)> SignInThroughProxyAsync(ProxyFixture api)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = api.Address };
        using var session = await http.SendAsync(ThroughProxy(new HttpRequestMessage(HttpMethod.Get, "/review/api/session")));
        var token = (await session.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("csrfToken").GetString()!;
        using var signIn = ThroughProxy(new HttpRequestMessage(HttpMethod.Post, "/review/api/sign-in") { Content = JsonContent.Create(new { key = api.AdminKey }) });
        signIn.Headers.Add("Cookie", string.Join("; ", session.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        signIn.Headers.Add(ReviewSession.CsrfHeader, token);
        using var response = await http.SendAsync(signIn);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ReviewSession.CookieName + "=", StringComparison.Ordinal));
        await using var db = api.Database.CreateContext();
        var audited = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal(AuditActions.ReviewSignIn, audited.Action);
        return (cookie, audited.Remote);
    }

    private static HttpRequestMessage ThroughProxy(HttpRequestMessage request)
    {
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", Client);
        return request;
    }

    public abstract class ProxyFixture : ApiFixture
    {
        protected override bool OnKestrel => true;

        protected abstract string Proxy { get; }

        protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Outbox:RelayEnabled"] = "false",
            ["urls"] = "http://127.0.0.1:0",
            ["Api:TrustedProxies:0"] = Proxy,
        };

        public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>The test itself is the proxy: it connects from loopback, which is named.</summary>
    public sealed class TrustedLoopbackFixture : ProxyFixture
    {
        protected override string Proxy => "127.0.0.0/8";
    }

    /// <summary>Another proxy is named; the test connects from loopback, which is not.</summary>
    public sealed class OtherProxyFixture : ProxyFixture
    {
        protected override string Proxy => "10.9.9.9";
    }
}
