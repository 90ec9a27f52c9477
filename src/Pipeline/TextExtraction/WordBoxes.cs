using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DocExtract.Persistence.Results;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// Places the words a tool reports (pdftotext -bbox-layout, Tesseract's TSV) onto the offsets of the page's text, and
/// boxes a span of that text (#13). The text itself is never changed: pages[].text and every evidence offset depend
/// on it. Both tools list the same words as the text, mostly in its order; where the order breaks (poppler orders
/// blocks of a multi-column page differently in the two outputs) a word is placed where it and the words after it
/// occur exactly once among the places not yet taken. A word that cannot be placed so is left out, never guessed.
/// </summary>
public static class WordPlacer
{
    // Beyond this many places for a relocated word, its page is too repetitive to tell ("-" in a table): left out.
    private const int MaxCandidates = 64;
    private const int AnchorWords = 4;

    public static IReadOnlyList<WordBox> Place(string text, IReadOnlyList<WordBox.Found> words)
    {
        var placed = new List<WordBox>(words.Count);
        var taken = new bool[text.Length];
        var cursor = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Text.Length == 0)
            {
                continue;
            }
            var at = MatchAfter(text, cursor, words[i].Text) ?? Relocate(text, words, i, taken);
            if (at is not var (start, end) || taken.AsSpan(start, end - start).Contains(true))
            {
                continue;
            }
            taken.AsSpan(start, end - start).Fill(true);
            placed.Add(WordBox.At(start, end, words[i]));
            cursor = end;
        }
        placed.Sort((a, b) => a.Start.CompareTo(b.Start));
        return placed;
    }

    /// <summary>
    /// The boxes of the span [start, end) of a page's text, one per printed line the span touches: the union of the
    /// boxes of its words on that line. Empty where no word of the span was placed.
    /// </summary>
    public static IReadOnlyList<PageBox> Enclose(PageText page, int start, int end)
    {
        if (page.Words is not { Count: > 0 } words)
        {
            return [];
        }
        var boxes = new List<PageBox>();
        WordBox? previous = null;
        foreach (var word in words)
        {
            if (word.End <= start || word.Start >= end)
            {
                continue;
            }
            if (previous is null || !OnOneLine(page.Text, previous, word))
            {
                boxes.Add(new PageBox(page.Number, word.X0, word.Y0, word.X1, word.Y1));
            }
            else
            {
                var last = boxes[^1];
                boxes[^1] = last with
                {
                    X0 = Math.Min(last.X0, word.X0), Y0 = Math.Min(last.Y0, word.Y0), X1 = Math.Max(last.X1, word.X1), Y1 = Math.Max(last.Y1, word.Y1),
                };
            }
            previous = word;
        }
        return boxes;
    }

    // Two words follow each other on one printed line when no line break of the text parts them and they share the
    // line's band: their heights overlap by half (or, for text set vertically, both taller than wide, their widths
    // do). Two halves of a word split at a hyphen are one word of the text, yet on two lines.
    private static bool OnOneLine(string text, WordBox a, WordBox b)
    {
        if (text.AsSpan(a.End, Math.Max(0, b.Start - a.End)).Contains('\n'))
        {
            return false;
        }
        static double Overlap(double a0, double a1, double b0, double b1) => Math.Min(a1, b1) - Math.Max(a0, b0);
        var (heightA, heightB, widthA, widthB) = (a.Y1 - a.Y0, b.Y1 - b.Y0, a.X1 - a.X0, b.X1 - b.X0);
        return Overlap(a.Y0, a.Y1, b.Y0, b.Y1) >= Math.Min(heightA, heightB) / 2
            || (heightA > widthA && heightB > widthB && Overlap(a.X0, a.X1, b.X0, b.X1) >= Math.Min(widthA, widthB) / 2);
    }

    // The word at the next non-blank place from the cursor: as it is, without the hyphen pdftotext drops when it joins
    // a word split across lines ("com-" + "pile" is "compile" in the text), or reversed (right-to-left words come in
    // visual order from -bbox-layout and in logical order in the text).
    private static (int Start, int End)? MatchAfter(string text, int cursor, string word)
    {
        var at = cursor;
        while (at < text.Length && IsBlank(text[at]))
        {
            at++;
        }
        foreach (var form in Forms(word))
        {
            if (at + form.Length <= text.Length && string.CompareOrdinal(text, at, form, 0, form.Length) == 0)
            {
                return (at, at + form.Length);
            }
        }
        return null;
    }

    private static (int Start, int End)? Relocate(string text, IReadOnlyList<WordBox.Found> words, int index, bool[] taken)
    {
        foreach (var form in Forms(words[index].Text))
        {
            var candidates = new List<int>();
            for (var at = text.IndexOf(form, StringComparison.Ordinal); at >= 0 && candidates.Count <= MaxCandidates;
                 at = at + 1 < text.Length ? text.IndexOf(form, at + 1, StringComparison.Ordinal) : -1)
            {
                if ((at == 0 || IsBlank(text[at - 1])) && !taken.AsSpan(at, form.Length).Contains(true))
                {
                    candidates.Add(at);
                }
            }
            if (candidates.Count > MaxCandidates)
            {
                return null;
            }
            // The following words narrow the candidates down until one is left.
            for (var next = 1; candidates.Count > 1 && next < AnchorWords && index + next < words.Count; next++)
            {
                candidates = [.. candidates.Where(c => Follows(text, c + form.Length, words, index + 1, next))];
            }
            if (candidates.Count == 1)
            {
                return (candidates[0], candidates[0] + form.Length);
            }
        }
        return null;
    }

    private static bool Follows(string text, int cursor, IReadOnlyList<WordBox.Found> words, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            if (MatchAfter(text, cursor, words[i].Text) is not var (_, end))
            {
                return false;
            }
            cursor = end;
        }
        return true;
    }

    private static IEnumerable<string> Forms(string word)
    {
        yield return word;
        if (word.Length > 1 && word[^1] is '-' or '\u00AD' or '\u2010')
        {
            yield return word[..^1];
        }
        if (word.Length > 1 && word.Any(IsRightToLeft))
        {
            var reversed = word.ToCharArray();
            Array.Reverse(reversed);
            yield return new string(reversed);
        }
    }

    // Whitespace, and the invisible format characters (bidi embeddings, zero-width spaces) pdftotext writes between words.
    private static bool IsBlank(char c) => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static bool IsRightToLeft(char c) => c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';
}
