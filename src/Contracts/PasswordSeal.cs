using System.Security.Cryptography;
using System.Text;

namespace DocExtract.Contracts;

/// <summary>
/// Secrets:KeyFile, a 32-byte key file that the API and the workers both read. An upload's PDF password travels
/// sealed with it (AES-256-GCM) in the ExtractDocument command, so the outbox row in PostgreSQL and the message in
/// RabbitMQ hold only ciphertext; the password is never stored in the clear, logged or audited (#14).
/// </summary>
public sealed class SecretOptions
{
    public const string Section = "Secrets";

    /// <summary>Path of the key: 32 raw bytes, or their base64. Empty: uploads cannot carry a password.</summary>
    public string? KeyFile { get; set; }
}

/// <summary>The configured <see cref="PasswordSeal"/> of a process, or none (Secrets:KeyFile unset).</summary>
public sealed record PasswordSealing(PasswordSeal? Seal)
{
    public static PasswordSealing From(SecretOptions options) => new(PasswordSeal.FromFile(options.KeyFile));
}

/// <summary>Seals and opens a short secret with the Secrets:KeyFile key, bound to the document's tenant.</summary>
public sealed class PasswordSeal
{
    private const string Version = "v1.";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    private PasswordSeal(byte[] key) => _key = key;

    /// <summary>The seal of the configured key file, or null when none is configured.</summary>
    public static PasswordSeal? FromFile(string? keyFile)
    {
        if (string.IsNullOrWhiteSpace(keyFile))
        {
            return null;
        }
        if (!File.Exists(keyFile))
        {
            throw new InvalidOperationException($"Secrets:KeyFile names {keyFile}, which does not exist (scripts/setup.sh makes one: 32 random bytes)");
        }
        var bytes = File.ReadAllBytes(keyFile);
        if (bytes.Length != 32)
        {
            try
            {
                bytes = Convert.FromBase64String(Encoding.ASCII.GetString(bytes).Trim());
            }
            catch (FormatException)
            {
                bytes = [];
            }
        }
        return bytes.Length == 32
            ? new PasswordSeal(bytes)
            : throw new InvalidOperationException($"Secrets:KeyFile {keyFile} must hold 32 bytes, raw or as base64");
    }

    public string Seal(string secret, string tenant)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(tenant));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null when the seal was not made with this key for this tenant, or was changed.</summary>
    public string? Open(string sealedSecret, string tenant)
    {
        if (!sealedSecret.StartsWith(Version, StringComparison.Ordinal))
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(sealedSecret[Version.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }
        var plain = new byte[bytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes + TagBytes), bytes.AsSpan(NonceBytes, TagBytes), plain, Encoding.UTF8.GetBytes(tenant));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}
