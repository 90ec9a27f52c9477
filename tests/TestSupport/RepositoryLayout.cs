namespace DocExtract.TestSupport;

/// <summary>
/// What scripts/fetch-llama.sh puts in the repository (native/ and .tools/). Missing files are a failure with
/// the fix in the message, never a skipped test.
/// </summary>
public static class RepositoryLayout
{
    public const string FetchHint = "run scripts/fetch-llama.sh";

    /// <summary>The repository's .tools/llama.cpp folder (headers, vocab files, source).</summary>
    public static string LlamaCppTools => Required(Path.Combine(".tools", "llama.cpp"), Path.Combine("include", "llama.h"));

    /// <summary>The repository's native/ folder (the llama.cpp shared libraries).</summary>
    public static string NativeDirectory => Required("native", Path.Combine("cpu", "libllama.v0.5.0.so"));

    /// <summary>llama.cpp's vocab-only GGUF files, whose tokenizers the generated models copy.</summary>
    public static string VocabDirectory => Path.Combine(LlamaCppTools, "models");

    public static string VocabFile(string name)
    {
        var path = Path.Combine(VocabDirectory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: {FetchHint}", path);
    }

    private static string Required(string folder, string marker)
    {
        var path = Path.Combine(Repository.Root, folder);
        return File.Exists(Path.Combine(path, marker))
            ? path
            : throw new InvalidOperationException($"{Path.Combine(path, marker)} is missing: {FetchHint}");
    }
}
