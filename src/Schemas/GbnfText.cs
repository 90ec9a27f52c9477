using System.Globalization;
using System.Text;

namespace DocExtract.Schemas;

// Spelling values as GBNF terminals. Everything outside printable ASCII is escaped, so a grammar is plain ASCII and
// survives any transport; the escapes used are those llama.cpp's parse_char understands (src/llama-grammar.cpp).
internal static class GbnfText
{
    public static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            builder.Append(value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < 0x20 or 0x7F => $"\\x{value:X2}",
                < 0x7F => ((char)value).ToString(),
                <= 0xFFFF => $"\\u{value:X4}",
                _ => $"\\U{value:X8}",
            });
        }

        return builder.Append('"').ToString();
    }

    // The shortest JSON spelling of a string: what the grammar makes the model write for keys, enum values and
    // consts. Only the characters JSON requires are escaped; anything else is written as itself.
    public static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    public static string Repeat(string item, int min, int max) => (min, max) switch
    {
        (_, 0) => "",
        (1, 1) => item,
        (0, 1) => item + "?",
        _ when min == max => $"{item}{{{min}}}",
        _ => $"{item}{{{min},{max}}}",
    };

    public static string Sequence(params IEnumerable<string> parts) =>
        string.Join(" ", parts.Where(part => part.Length > 0));

    public static string Alternatives(IReadOnlyCollection<string> alternatives) =>
        alternatives.Count == 1 ? alternatives.First() : "( " + string.Join(" | ", alternatives) + " )";
}
