using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DocExtract.Persistence.Results;

/// <summary>Where a result's text was changed to be storable, and how many characters were removed or replaced.</summary>
public sealed record CleanedText(string Pointer, int Characters);

/// <summary>
/// PostgreSQL stores no U+0000 in text or jsonb, nor an unpaired surrogate in jsonb (SqlState 22P05). A PDF whose
/// font maps a glyph to U+0000 put one in the extracted text, the write failed on every retry, and the document ended
/// with a false reason about crashing the worker (issue #15). Such characters are removed (U+0000) or replaced with
/// U+FFFD (an unpaired surrogate) before anything is stored, and the result says where.
/// </summary>
public static class StorableText
{
    public const string Replacement = "\uFFFD";

    /// <summary>The text without U+0000 and with unpaired surrogates replaced; <paramref name="changed"/> counts them.</summary>
    public static string Clean(string text, out int changed)
    {
        changed = 0;
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            if (c == '\0')
            {
                changed++;
            }
            else if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                clean.Append(c).Append(text[++index]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
                changed++;
            }
            else
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary>For a failure reason or a log line: the text as it can be stored.</summary>
    public static string Clean(string text) => Clean(text, out _);

    /// <summary>The pages with their text cleaned, before evidence offsets are taken from it, and where it changed.</summary>
    public static (IReadOnlyList<PageText> Pages, IReadOnlyList<CleanedText> Cleaned) Clean(IReadOnlyList<PageText> pages)
    {
        var cleaned = new List<CleanedText>();
        var clean = pages.Select((page, index) =>
        {
            var text = Clean(page.Text, out var changed);
            if (changed == 0)
            {
                return page;
            }

            cleaned.Add(new CleanedText($"/pages/{index}/text", changed));
            return page with { Text = text, Words = page.Words is { } words ? Shifted(page.Text, words) : null };
        }).ToList();
        return cleaned.Count == 0 ? (pages, cleaned) : (clean, cleaned);
    }

    // Words keep their place in the cleaned text: each U+0000 removed before a word moves it one character back (an
    // unpaired surrogate is replaced by one character, so moves nothing); a word that was only U+0000 is dropped.
    private static List<WordBox> Shifted(string original, IReadOnlyList<WordBox> words)
    {
        var removedBefore = new int[original.Length + 1];
        for (var i = 0; i < original.Length; i++)
        {
            removedBefore[i + 1] = removedBefore[i] + (original[i] == '\0' ? 1 : 0);
        }
        return [.. words
            .Select(w => w with { Start = w.Start - removedBefore[w.Start], End = w.End - removedBefore[w.End] })
            .Where(w => w.End > w.Start)];
    }

    /// <summary>Cleans every string value under <paramref name="node"/> in place, adding where to <paramref name="cleaned"/>.</summary>
    public static void Clean(JsonNode? node, string pointer, List<CleanedText> cleaned)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, child) in map.ToList())
                {
                    var at = $"{pointer}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (Replaced(child, at, cleaned) is { } text)
                    {
                        map[key] = text;
                    }
                    else
                    {
                        Clean(child, at, cleaned);
                    }
                }

                break;
            case JsonArray list:
                for (var index = 0; index < list.Count; index++)
                {
                    var at = $"{pointer}/{index}";
                    if (Replaced(list[index], at, cleaned) is { } text)
                    {
                        list[index] = text;
                    }
                    else
                    {
                        Clean(list[index], at, cleaned);
                    }
                }

                break;
        }
    }

    private static string? Replaced(JsonNode? node, string pointer, List<CleanedText> cleaned)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        string text;
        int changed;
        try
        {
            text = Clean(value.GetValue<string>(), out changed);
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate that System.Text.Json will not even read as a string.
            (text, changed) = (Replacement, 1);
        }

        if (changed == 0)
        {
            return null;
        }

        cleaned.Add(new CleanedText(pointer, changed));
        return text;
    }

    private static bool NeedsCleaning(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 || text.Contains('\0', StringComparison.Ordinal);
}
