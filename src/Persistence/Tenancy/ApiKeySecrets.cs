using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace DocExtract.Persistence.Tenancy;

/// <summary>
/// The key format <c>dx_&lt;id&gt;_&lt;secret&gt;</c>: a visible id (12 hex digits) to find the row and name the key in
/// logs and the audit trail, and a 256-bit random secret (base64url) of which only the SHA-256 is stored.
/// </summary>
public static class ApiKeySecrets
{
    private const string Prefix = "dx_";
    private const int IdLength = 12;

    public static (string Id, string Token, string SecretSha256) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    public static bool TryParse(string? token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = secret = null;
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + IdLength + 2 ||
            token[Prefix.Length + IdLength] != '_')
        {
            return false;
        }
        id = token.Substring(Prefix.Length, IdLength);
        secret = token[(Prefix.Length + IdLength + 1)..];
        return id.All(char.IsAsciiHexDigitLower);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares in time independent of where the hashes differ, so timing says nothing about a stored hash.</summary>
    public static bool Matches(string secret, string storedSha256) =>
        CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Hash(secret)), System.Text.Encoding.ASCII.GetBytes(storedSha256));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
