namespace DocExtract.Schemas;

public sealed record SchemaCatalogOptions
{
    /// <summary>The folder whose *.json files are the document types; files in subfolders are not read.</summary>
    public required string Folder { get; init; }

    public GbnfOptions Grammar { get; init; } = GbnfOptions.Default;
}
