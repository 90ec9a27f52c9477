using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DocExtract.Api.Export;

/// <summary>One CSV field as RFC 4180 writes it, with spreadsheet formula injection defused (OWASP, "CSV Injection").</summary>
public static class CsvCell
{
    // Compact JSON with characters as they are: the cell is read by a spreadsheet or a CSV parser, never as HTML.
    private static readonly JsonSerializerOptions _json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly SearchValues<char> _needsQuotes = SearchValues.Create(",\"\r\n");

    // Signs a spreadsheet may take for + or - that compatibility folding leaves alone: hyphens, dashes, the minus sign
    // and the heavy plus/minus/division of dingbats.
    private static readonly SearchValues<char> _signLookalikes = SearchValues.Create("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2795\u2796\u2797");

    /// <summary>
    /// Text as a field: a cell a spreadsheet would read as a formula gets a leading apostrophe, then a field holding a
    /// comma, quote or line break is quoted with its quotes doubled.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (LooksLikeFormula(text))
        {
            text = "'" + text;
        }

        return text.AsSpan().ContainsAny(_needsQuotes) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// Starting with a tab or carriage return, or with = + - @ once leading whitespace (a line feed, a space, a
    /// no-break space), control and invisible format characters (a zero-width space, a bidi mark) are skipped and the
    /// first character is folded (NFKC: fullwidth ＝ ＋ － ＠ and the small forms ﹦ ﹢ ﹣ ﹫ become = + - @), or with a
    /// dash or minus sign lookalike. Spreadsheets trim and fold such prefixes before they look for a formula (issue #15).
    /// </summary>
    private static bool LooksLikeFormula(string text)
    {
        if (text[0] is '\t' or '\r')
        {
            return true;
        }
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                continue;
            }
            var folded = rune.ToString().Normalize(NormalizationForm.FormKC);
            return folded.Length > 0 && (folded[0] is '=' or '+' or '-' or '@' || _signLookalikes.Contains(folded[0]));
        }
        return false;
    }

    /// <summary>A JSON value as a field: strings as their text, numbers and booleans as written (a negative number is
    /// a number, not a formula, so it keeps its sign), null as empty, objects and arrays as compact JSON.</summary>
    public static string Json(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Text(value.GetString()),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => Text(JsonSerializer.Serialize(value, _json)),
    };

    public static void AppendRow(StringBuilder line, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                line.Append(',');
            }

            line.Append(field);
            first = false;
        }

        // RFC 4180 ends every record with CRLF.
        line.Append("\r\n");
    }
}
