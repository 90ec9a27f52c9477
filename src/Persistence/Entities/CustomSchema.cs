namespace DocExtract.Persistence.Entities;

/// <summary>
/// One version of a document type stored through PUT /schemas/{name} (#6). Rows are only ever added: the latest
/// row of a name is its current version, and every version a result names stays resolvable.
/// </summary>
public sealed class CustomSchema
{
    public Guid Id { get; init; }

    /// <summary>Whose type this is; see <see cref="Tenants"/>.</summary>
    public required string TenantId { get; init; }

    public required string Name { get; init; }

    /// <summary>Lowercase hex SHA-256 of <see cref="Content"/>, as a built-in type's version is of its file.</summary>
    public required string Version { get; init; }

    /// <summary>The schema's bytes exactly as they were sent, so the version can always be recomputed from them.</summary>
    public required byte[] Content { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
