using System.Buffers;
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

    /// <summary>
    /// Text as a field: a cell a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
    /// return) gets a leading apostrophe, then a field holding a comma, quote or line break is quoted with its quotes
    /// doubled.
    /// </summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().ContainsAny(_needsQuotes) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
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
