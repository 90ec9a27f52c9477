using Microsoft.Extensions.Configuration;

namespace DocExtract.Schemas;

/// <summary>
/// Where the document types' JSON Schemas live: <c>Schemas:Directory</c> when set, else the nearest
/// <c>schemas/</c> folder above the program (a checkout or a published image), else <c>./schemas</c>.
/// </summary>
public static class SchemaFolder
{
    public const string ConfigurationKey = "Schemas:Directory";

    public static string Resolve(IConfiguration configuration) =>
        configuration[ConfigurationKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : FindAbove(AppContext.BaseDirectory) ?? FindAbove(Directory.GetCurrentDirectory())
              ?? Path.GetFullPath("schemas");

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schemas");
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any())
            {
                return candidate;
            }
        }
        return null;
    }
}
