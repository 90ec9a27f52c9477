namespace DocExtract.Schemas;

/// <summary>The document types of the schema folder at one moment, and the files that failed to load.</summary>
public sealed class SchemaCatalogSnapshot(IReadOnlyList<DocumentSchema> schemas, IReadOnlyList<SchemaFileError> errors)
{
    private readonly Dictionary<string, DocumentSchema> _byName = schemas.ToDictionary(schema => schema.Name, StringComparer.Ordinal);

    /// <summary>Ordered by name.</summary>
    public IReadOnlyList<DocumentSchema> Schemas { get; } = schemas;

    /// <summary>Ordered by file name.</summary>
    public IReadOnlyList<SchemaFileError> Errors { get; } = errors;

    public DocumentSchema? Find(string name) => _byName.GetValueOrDefault(name);
}
