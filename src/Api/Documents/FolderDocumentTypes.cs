namespace DocExtract.Api.Documents;

/// <summary>Document types as the JSON Schema files in the schemas folder name them.</summary>
public sealed class FolderDocumentTypes(string directory) : IDocumentTypes
{
    public IReadOnlyCollection<string> Names =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()]
            : [];

    public bool Exists(string name) => Names.Contains(name, StringComparer.Ordinal);
}
