using System.Collections.Concurrent;
using DocExtract.Persistence.Entities;
using DocExtract.Schemas;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence.DocumentTypes;

/// <summary>A document type and where it comes from: a file of the schema folder, or a tenant's PUT (#6).</summary>
public sealed record DocumentType(DocumentSchema Schema, string Source, DateTimeOffset? CreatedAt)
{
    public const string BuiltIn = "built-in";
    public const string Custom = "custom";
}

/// <summary>A type that was found, or why none was, in words a caller can act on.</summary>
public sealed record DocumentTypeLookup(DocumentType? Type, string? Problem);

public sealed record DocumentTypeVersion(string Version, DateTimeOffset? CreatedAt);

/// <summary>
/// The document types one tenant can use: the built-in ones of the schema folder, then the tenant's custom ones
/// from PostgreSQL. A built-in name always means the built-in type (PUT refuses those names), so a file added to
/// schemas/ later shadows a custom type of that name rather than the other way round.
/// Used by the API (validation, listing) and the worker (resolving a command's type and version).
/// </summary>
public sealed class DocumentTypeCatalog(DocExtractDbContext db, SchemaCatalog builtIn, CustomSchemaCache cache)
{
    public async Task<DocumentTypeLookup> FindAsync(string tenant, string name, string? version, CancellationToken cancellationToken)
    {
        if (await builtIn.FindAsync(name, cancellationToken) is { } file)
        {
            // Built-in types live in files, which keep only their current text: an older version cannot be rebuilt.
            return version is null || version == file.Version
                ? new DocumentTypeLookup(new DocumentType(file, DocumentType.BuiltIn, null), null)
                : new DocumentTypeLookup(null, $"the built-in type '{name}' is at version {file.Version}; version {version} is no longer " +
                    "available (the schema file changed since), so omit the version or use the current one");
        }

        var query = db.CustomSchemas.AsNoTracking().Where(s => s.TenantId == tenant && s.Name == name);
        var row = await (version is null ? query : query.Where(s => s.Version == version))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            if (version is null || !await query.AnyAsync(cancellationToken))
            {
                return new DocumentTypeLookup(null, $"unknown schema '{name}'");
            }
            var versions = await query.OrderByDescending(s => s.CreatedAt).Select(s => s.Version).ToListAsync(cancellationToken);
            return new DocumentTypeLookup(null,
                $"the document type '{name}' has no version {version}; its versions, newest first, are {string.Join(", ", versions.Distinct())}");
        }

        return await LoadAsync(row, cancellationToken);
    }

    /// <summary>The built-in types, then the latest version of each custom type not shadowed by a built-in one.</summary>
    public async Task<IReadOnlyList<DocumentType>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var files = await builtIn.GetSnapshotAsync(cancellationToken);
        var types = files.Schemas.Select(schema => new DocumentType(schema, DocumentType.BuiltIn, null)).ToList();
        var rows = await db.CustomSchemas.AsNoTracking().Where(s => s.TenantId == tenant)
            .OrderBy(s => s.Name).ThenByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(cancellationToken);
        foreach (var latest in rows.GroupBy(s => s.Name).Select(g => g.First()).Where(s => files.Find(s.Name) is null))
        {
            if ((await LoadAsync(latest, cancellationToken)).Type is { } type)
            {
                types.Add(type);
            }
        }
        return types;
    }

    /// <summary>Every version of a type, newest first: the built-in one's current version, or each PUT of a custom one.</summary>
    public async Task<IReadOnlyList<DocumentTypeVersion>> HistoryAsync(string tenant, DocumentType type, CancellationToken cancellationToken) =>
        type.Source == DocumentType.BuiltIn
            ? [new DocumentTypeVersion(type.Schema.Version, null)]
            : await db.CustomSchemas.AsNoTracking().Where(s => s.TenantId == tenant && s.Name == type.Schema.Name)
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                .Select(s => new DocumentTypeVersion(s.Version, s.CreatedAt)).ToListAsync(cancellationToken);

    private async Task<DocumentTypeLookup> LoadAsync(CustomSchema row, CancellationToken cancellationToken)
    {
        try
        {
            var schema = await cache.GetAsync(row, builtIn.GrammarOptions, cancellationToken);
            return new DocumentTypeLookup(new DocumentType(schema, DocumentType.Custom, row.CreatedAt), null);
        }
        catch (Exception e) when (e is InvalidSchemaException or SchemaNotSupportedException)
        {
            // Checked when it was stored; only a change in what the grammar supports could make it fail now.
            return new DocumentTypeLookup(null, $"the stored document type '{row.Name}' version {row.Version} cannot be loaded: {e.Message}");
        }
    }
}

/// <summary>
/// Built custom types by name and version. Building one (grammar, NJsonSchema validator) takes milliseconds and a
/// version's bytes never change, so each is built once per process.
/// </summary>
public sealed class CustomSchemaCache
{
    private readonly ConcurrentDictionary<(string Name, string Version), DocumentSchema> _built = new();

    public async Task<DocumentSchema> GetAsync(CustomSchema row, GbnfOptions grammar, CancellationToken cancellationToken)
    {
        if (_built.TryGetValue((row.Name, row.Version), out var schema))
        {
            return schema;
        }
        schema = await DocumentSchemaLoader.LoadAsync(row.Name, row.Content, grammar, cancellationToken);
        return _built.GetOrAdd((row.Name, row.Version), schema);
    }
}
