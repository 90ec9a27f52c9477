namespace DocExtract.Schemas.Tests.Catalog;

// A scratch schema folder per test, removed afterwards.
internal sealed class SchemaFolder : IDisposable
{
    public SchemaFolder(params string[] builtInTypes)
    {
        Path = Directory.CreateTempSubdirectory("docextract-schemas-").FullName;
        foreach (var type in builtInTypes)
        {
            Write(type + ".json", TestFiles.Schema(type));
        }
    }

    public string Path { get; }

    public void Write(string fileName, string text) => File.WriteAllText(System.IO.Path.Combine(Path, fileName), text);

    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
