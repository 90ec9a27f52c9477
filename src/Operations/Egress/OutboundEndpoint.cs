using System.Net;
using System.Net.Sockets;

namespace DocExtract.Operations.Egress;

/// <summary>One server this process is configured to connect to.</summary>
public sealed record OutboundEndpoint(string Purpose, string Host, int Port)
{
    public override string ToString() => Host.StartsWith('/') ? $"{Purpose} {Host} (Unix socket)" : $"{Purpose} {Host}:{Port}";
}

/// <summary>Where an address lies, judged by its range (RFC 1918, 6598, 3927, 4193, 4291).</summary>
public enum AddressScope
{
    Loopback,
    Private,
    Public,
}

public static class AddressScopes
{
    public static AddressScope Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return AddressScope.Loopback;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // fc00::/7 unique local, fe80::/10 link-local.
            var first = address.GetAddressBytes()[0];
            var second = address.GetAddressBytes()[1];
            return (first & 0xFE) == 0xFC || (first == 0xFE && (second & 0xC0) == 0x80) ? AddressScope.Private : AddressScope.Public;
        }
        var b = address.GetAddressBytes();
        var isPrivate = b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // carrier-grade NAT, used by some overlay networks
            || (b[0] == 169 && b[1] == 254);
        return isPrivate ? AddressScope.Private : AddressScope.Public;
    }
}
