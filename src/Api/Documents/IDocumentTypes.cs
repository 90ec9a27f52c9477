namespace DocExtract.Api.Documents;

/// <summary>The document types (schema names) an upload may ask for.</summary>
public interface IDocumentTypes
{
    IReadOnlyCollection<string> Names { get; }

    bool Exists(string name);
}
