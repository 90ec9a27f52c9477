using System.Net;
using DocExtract.Api.Documents;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Security;

/// <summary>
/// Behind a reverse proxy that ends TLS, the API sees plain http from the proxy's address. ASP.NET Core's forwarded
/// headers middleware takes the client's address and scheme from X-Forwarded-For and X-Forwarded-Proto, but only
/// from the peers <c>Api:TrustedProxies</c> names, and only the last hop: anyone else could write those headers to
/// forge the address in the audit trail. Without the setting the middleware is not installed at all.
/// </summary>
public static class TrustedProxies
{
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.TrustedProxies;
        if (trusted.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        // The defaults trust loopback; here only what the setting names is trusted.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var entry in trusted)
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            }
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
