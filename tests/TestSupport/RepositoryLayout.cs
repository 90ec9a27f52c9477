namespace DocExtract.TestSupport;

/// <summary>
/// Finds what scripts/fetch-llama.sh puts in the repository (native/ and .tools/), walking up from the test
/// binary. Missing files are a failure with the fix in the message, never a skipped test.
/// </summary>
public static class RepositoryLayout
{
    public const string FetchHint = "run scripts/fetch-llama.sh";

    /// <summary>The repository's .tools/llama.cpp folder (headers, vocab files, source).</summary>
    public static string LlamaCppTools => FindUp(Path.Combine(".tools", "llama.cpp", "include", "llama.h"), up: 2);

    /// <summary>The repository's native/ folder (the llama.cpp shared libraries).</summary>
    public static string NativeDirectory => FindUp(Path.Combine("native", "cpu", "libllama.v0.5.0.so"), up: 2);

    public static string VocabFile(string name)
    {
        var path = Path.Combine(LlamaCppTools, "models", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {FetchHint}", path);
    }

    /// <summary>Walks up from the test binary to the folder holding <paramref name="relative"/>; returns its ancestor <paramref name="up"/> levels above the file.</summary>
    private static string FindUp(string relative, int up)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
            {
                var result = candidate;
                for (var i = 0; i < up; i++)
                {
                    result = Path.GetDirectoryName(result)!;
                }

                return result;
            }
        }

        throw new InvalidOperationException(
            $"{relative} not found in {AppContext.BaseDirectory} or any folder above it: {FetchHint}");
    }
}
