using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace DocExtract.TestSupport.Corpus;

/// <summary>One PDF of ../shared/corpus with its ground truth (see the corpus README for the fields).</summary>
public sealed record CorpusCase(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("expected_snippets")] IReadOnlyList<string> ExpectedSnippets,
    [property: JsonPropertyName("needs_ocr")] bool NeedsOcr,
    [property: JsonPropertyName("should_fail")] bool ShouldFail,
    [property: JsonPropertyName("may_fail")] bool MayFail,
    [property: JsonPropertyName("pages")] int? Pages,
    [property: JsonPropertyName("password")] string? Password)
{
    public string Name => System.IO.Path.GetFileName(File);
    public string Path => System.IO.Path.Combine(Repository.Corpus, File);

    public override string ToString() => Name;

    public static IReadOnlyList<CorpusCase> All() =>
        [.. Directory.EnumerateFiles(System.IO.Path.Combine(Repository.Corpus, "ground_truth"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<CorpusCase>(System.IO.File.ReadAllText(f))
                ?? throw new InvalidDataException($"{f} is not ground truth"))];

    public static CorpusCase Named(string name) => All().Single(c => c.Name == name);

    /// <summary>The corpus README's normalisation, applied to both sides before a snippet is looked for.</summary>
    public static string Normalise(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if ("\u200b\u2060\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad\ufeff".Contains(c, StringComparison.Ordinal))
            {
                continue;
            }
            builder.Append(c switch
            {
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                '\u2018' or '\u2019' or '\u201a' or '\u201b' or '\u2032' => '\'',
                '\u201c' or '\u201d' or '\u201e' or '\u2033' => '"',
                _ => c,
            });
        }
        return Whitespace().Replace(builder.ToString(), " ").Trim();
    }

    public IReadOnlyList<string> MissingSnippets(string extracted)
    {
        var normalised = Normalise(extracted);
        return [.. ExpectedSnippets.Where(s => !normalised.Contains(Normalise(s), StringComparison.Ordinal))];
    }

    private static Regex Whitespace() => new(@"\s+", RegexOptions.CultureInvariant);
}

