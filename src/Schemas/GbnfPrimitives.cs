using System.Text.RegularExpressions;

namespace DocExtract.Schemas;

// The fixed rules every grammar draws on: whitespace, string characters, numbers, dates. Each is emitted only once
// something uses it, after the rules that use it, in order of first use.
internal sealed partial class GbnfPrimitives(GbnfOptions options)
{
    private static readonly HashSet<string> _fixedNames = new(StringComparer.Ordinal)
    {
        "ws", "char", "number", "integer", "boolean", "null", "date", "date-time", "date-value", "date-year",
        "date-leap-year", "date-day-28", "date-day-30", "date-day-31", "time-value", "time-hour",
    };

    private readonly List<string> _order = [];
    private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);

    public IEnumerable<(string Name, string Body)> Rules => _order.Select(name => (name, _bodies[name]));

    // Names that rules derived from property names must not take.
    public static bool IsReserved(string name) => _fixedNames.Contains(name) || StringRuleName().IsMatch(name);

    // At most one space, or one newline and a bounded indentation, between two tokens: enough for compact and
    // pretty-printed JSON, too little to fill the context with blanks.
    public string Ws => Use("ws", () => $"( \" \" | \"\\n\" {GbnfText.Repeat("[ \\t]", 0, options.MaxIndent)} )?");

    // JSON string characters: no raw control characters (nor DEL, as llama.cpp's own converter), and exactly the
    // escapes RFC 8259 allows. Counting one escape as one character makes maxLength count decoded characters. A
    // character above U+FFFF comes only as a surrogate-pair escape (two characters here): the validator counts UTF-16
    // code units, so counted this way a string the grammar admits is never too long for the validator (a raw emoji
    // counted once here and twice there failed whole documents).
    public string Char => Use("char", () => """[^"\\\x7F\x00-\x1F\U00010000-\U0010FFFF] | "\\" ( ["\\/bfnrt] | "u" [0-9a-fA-F]{4} )""");

    public string String(int minLength, int maxLength) =>
        Use($"string-{minLength}-{maxLength}", () =>
            GbnfText.Sequence("\"\\\"\"", GbnfText.Repeat(Char, minLength, maxLength), "\"\\\"\""));

    // JSON numbers without exponent: documents print amounts and quantities positionally, and an exponent would
    // let a model write 1e999.
    public string Number => Use("number", () => GbnfText.Sequence(
        IntegerBody(),
        options.MaxFractionDigits > 0 ? $"( \".\" {GbnfText.Repeat("[0-9]", 1, options.MaxFractionDigits)} )?" : ""));

    public string Integer => Use("integer", IntegerBody);

    public string Boolean => Use("boolean", () => "\"true\" | \"false\"");

    public string Null => Use("null", () => "\"null\"");

    public string Date => Use("date", () => $"\"\\\"\" {DateValue} \"\\\"\"");

    // RFC 3339 date-time with an upper-case T and Z; fractions of a second and offsets are optional and bounded.
    public string DateTime => Use("date-time", () => $"\"\\\"\" {DateValue} \"T\" {TimeValue} \"\\\"\"");

    // Calendar-valid dates only: month lengths are spelt out and 29 February needs a leap year. Years run from 1000:
    // no document we read is older, and year 0000, which RFC 3339 allows, fails .NET's (so NJsonSchema's) parsing.
    private string DateValue => Use("date-value", () =>
        $"{Year} \"-\" ( ( \"0\" [13578] | \"1\" [02] ) \"-\" {Day31} | ( \"0\" [469] | \"11\" ) \"-\" {Day30} "
        + $"| \"02-\" {Day28} ) | {LeapYear} \"-02-29\"");

    private string Year => Use("date-year", () => "[1-9] [0-9]{3}");

    // Divisible by 4, and by 400 when it ends in 00.
    private string LeapYear => Use("date-leap-year", () =>
        "[1-9] [0-9] ( \"0\" [48] | [2468] [048] | [13579] [26] ) | ( [2468] [048] | [13579] [26] ) \"00\"");

    private string Day28 => Use("date-day-28", () => "\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8]");

    private string Day30 => Use("date-day-30", () => $"{Day28} | \"29\" | \"30\"");

    private string Day31 => Use("date-day-31", () => $"{Day30} | \"31\"");

    private string TimeValue => Use("time-value", () =>
        $"{Hour} \":\" [0-5] [0-9] \":\" [0-5] [0-9] ( \".\" [0-9]{{1,9}} )? ( \"Z\" | [+-] {Hour} \":\" [0-5] [0-9] )");

    private string Hour => Use("time-hour", () => "[01] [0-9] | \"2\" [0-3]");

    private string IntegerBody() =>
        $"\"-\"? ( \"0\" | {GbnfText.Sequence("[1-9]", GbnfText.Repeat("[0-9]", 0, options.MaxIntegerDigits - 1))} )";

    private string Use(string name, Func<string> body)
    {
        if (!_bodies.ContainsKey(name))
        {
            // Claim the slot before building the body, so a rule is listed before the rules it uses.
            _order.Add(name);
            _bodies[name] = "";
            _bodies[name] = body();
        }

        return name;
    }

    [GeneratedRegex("^string-[0-9]+-[0-9]+$")]
    private static partial Regex StringRuleName();
}
