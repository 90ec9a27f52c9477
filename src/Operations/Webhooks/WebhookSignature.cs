using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DocExtract.Operations.Webhooks;

/// <summary>
/// How a completion webhook is signed (issue #6): HMAC-SHA256 with <c>Webhooks:Secret</c> over
/// "{timestamp}.{body}", where the timestamp is the Unix time in seconds sent in <see cref="TimestampHeader"/>. Signing
/// the timestamp with the body lets a receiver refuse replays of an old delivery (Stripe's and GitHub's shape).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-DocExtract-Signature";
    public const string TimestampHeader = "X-DocExtract-Timestamp";
    public const string DeliveryHeader = "X-DocExtract-Delivery";
    public const string AttemptHeader = "X-DocExtract-Attempt";

    /// <summary>The header value: "sha256=" and the lowercase hex HMAC.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
