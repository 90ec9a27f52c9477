namespace DocExtract.TestSupport;

/// <summary>Finds the checkout and what scripts put beside it, from wherever a test or benchmark runs.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/corpus beside the checkout (see its README): real-world PDFs with ground truth.</summary>
    public static string Corpus => Environment.GetEnvironmentVariable("DOCEXTRACT_CORPUS")
        ?? Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));

    public static string CorpusPdf(string name) =>
        Path.Combine(Corpus, "pdfs", name) is var path && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"corpus file {name} not found under {Corpus}: is ../shared beside the checkout?", path);

    /// <summary>The Debug or Release build this code runs from, so launched hosts match it.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string ProjectOutput(string project, string assembly) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", assembly);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DocExtract.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no DocExtract.sln above {AppContext.BaseDirectory}");
    }
}
