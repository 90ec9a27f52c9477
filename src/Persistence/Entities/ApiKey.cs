namespace DocExtract.Persistence.Entities;

/// <summary>
/// An API key as stored: its visible id, tenant and role, and only the SHA-256 of its secret (issue #7). The
/// secret is 256 random bits, so a plain hash cannot be brute-forced and needs no slow KDF.
/// </summary>
public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public required string Role { get; init; }
    public required string SecretSha256 { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}
