namespace DocExtract.Schemas.Tests;

// The built-in schemas and their hand-written sample documents, as copied next to the test assembly.
internal static class TestFiles
{
    public static string SchemasFolder { get; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    public static string SamplesFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Samples");

    public static IReadOnlyList<string> BuiltInTypes { get; } = Directory.GetFiles(SchemasFolder, "*.json")
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> BuiltInTypeData => new(BuiltInTypes);

    public static string Schema(string type) => File.ReadAllText(Path.Combine(SchemasFolder, type + ".json"));

    public static string Sample(string type) => File.ReadAllText(Path.Combine(SamplesFolder, type + ".json"));
}
