using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Persistence.Entities;

namespace DocExtract.Api.Audit;

/// <summary>
/// How a record is hashed: SHA-256 over a canonical JSON of its fields in a fixed order, the previous record's hash
/// included, so each record vouches for every record before it (issue #7).
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static string HashOf(long sequence, DateTimeOffset at, string tenantId, string actor, string? keyId, string action,
        Guid? documentId, string? remote, string details, string previousHash)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", sequence);
            // Microseconds: what PostgreSQL keeps of a timestamp, so the stored value hashes as it was written.
            json.WriteString("at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("tenant", tenantId);
            json.WriteString("actor", actor);
            json.WriteString("keyId", keyId);
            json.WriteString("action", action);
            json.WriteString("documentId", documentId?.ToString());
            json.WriteString("remote", remote);
            json.WriteString("details", details);
            json.WriteString("previousHash", previousHash);
            json.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    public static string HashOf(AuditRecord r) =>
        HashOf(r.Sequence, r.At, r.TenantId, r.Actor, r.KeyId, r.Action, r.DocumentId, r.Remote, r.Details, r.PreviousHash);

    /// <summary>PostgreSQL stores microseconds; anything finer would not survive the round trip and break the hash.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    public static string Canonical(object? details) => details is null ? "{}" : JsonSerializer.Serialize(details, JsonSerializerOptions.Web);
}
