namespace DocExtract.Persistence.Entities;

/// <summary>
/// One link of the hash-chained audit trail (issue #7): who (actor, key id), tenant, what, which document, when and
/// from where. <see cref="Hash"/> covers <see cref="PreviousHash"/> and every other field, so an edited, removed or
/// inserted record breaks the chain at that point. Rows are only ever appended.
/// </summary>
public sealed class AuditRecord
{
    public long Sequence { get; init; }
    public DateTimeOffset At { get; init; }
    public required string TenantId { get; init; }

    /// <summary><c>key:&lt;id&gt;</c>, <c>policy:retention</c>, <c>watched-folder</c> or <c>cli:&lt;user&gt;</c>.</summary>
    public required string Actor { get; init; }
    public string? KeyId { get; init; }
    public required string Action { get; init; }
    public Guid? DocumentId { get; init; }
    public string? Remote { get; init; }

    /// <summary>JSON text, kept as text (not jsonb) so the bytes that were hashed are the bytes that are stored.</summary>
    public required string Details { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}
