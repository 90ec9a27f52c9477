using System.Globalization;

namespace DocExtract.Schemas.Tests.Gbnf;

// Reads GBNF the way llama.cpp's llama_grammar_parser does (src/llama-grammar.cpp): same escapes, same name
// characters, newlines end a rule except inside parentheses or after '|'. It is stricter in one place: a bounded
// repetition above one must repeat a single symbol, the shape that keeps llama.cpp under its limit of 2000 generated
// rules, and no bound may exceed 2000, where llama.cpp would drop the bound without saying so.
internal sealed class GbnfParser
{
    private const int MaxRepetition = 2000;

    private readonly string _text;
    private int _position;

    private GbnfParser(string text) => _text = text;

    public static IReadOnlyDictionary<string, GbnfNode> Parse(string text)
    {
        var parser = new GbnfParser(text);
        var rules = new Dictionary<string, GbnfNode>(StringComparer.Ordinal);
        parser.SkipSpace(newlineOk: true);
        while (!parser.AtEnd)
        {
            var (name, body) = parser.ParseRule();
            if (!rules.TryAdd(name, body))
            {
                throw new FormatException($"Rule '{name}' is defined twice.");
            }
        }

        if (!rules.ContainsKey("root"))
        {
            throw new FormatException("The grammar has no root rule.");
        }

        foreach (var reference in rules.Values.SelectMany(References).Where(name => !rules.ContainsKey(name)))
        {
            throw new FormatException($"Undefined rule identifier '{reference}'.");
        }

        return rules;
    }

    private bool AtEnd => _position >= _text.Length;

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private (string Name, GbnfNode Body) ParseRule()
    {
        var name = ParseName();
        SkipSpace(newlineOk: false);
        Expect("::=");
        SkipSpace(newlineOk: true);
        var body = ParseAlternates(nested: false);
        if (Peek() == '\r')
        {
            _position += Peek(1) == '\n' ? 2 : 1;
        }
        else if (Peek() == '\n')
        {
            _position++;
        }
        else if (!AtEnd)
        {
            throw Error("expecting newline or end");
        }

        SkipSpace(newlineOk: true);
        return (name, body);
    }

    private GbnfNode ParseAlternates(bool nested)
    {
        var options = new List<GbnfNode> { ParseSequence(nested) };
        while (Peek() == '|')
        {
            _position++;
            SkipSpace(newlineOk: true);
            options.Add(ParseSequence(nested));
        }

        return options.Count == 1 ? options[0] : new GbnfAlternatives(options);
    }

    private GbnfNode ParseSequence(bool nested)
    {
        var items = new List<GbnfNode>();
        while (true)
        {
            var c = Peek();
            if (c == '"')
            {
                _position++;
                var codePoints = new List<int>();
                while (Peek() != '"')
                {
                    codePoints.Add(ParseChar());
                }

                _position++;
                items.Add(new GbnfLiteral([.. codePoints]));
            }
            else if (c == '[')
            {
                items.Add(ParseCharClass());
            }
            else if (IsWordChar(c))
            {
                items.Add(new GbnfRuleRef(ParseName()));
            }
            else if (c == '(')
            {
                _position++;
                SkipSpace(newlineOk: true);
                items.Add(ParseAlternates(nested: true));
                Expect(")");
            }
            else if (c is '*' or '+' or '?' or '{')
            {
                if (items.Count == 0)
                {
                    throw Error("expecting preceding item to */+/?/{");
                }

                items[^1] = ParseRepetition(items[^1]);
            }
            else
            {
                break;
            }

            SkipSpace(nested);
        }

        return items.Count == 1 ? items[0] : new GbnfSequence(items);
    }

    private GbnfRepeat ParseRepetition(GbnfNode item)
    {
        var c = Peek();
        _position++;
        var (min, max) = c switch
        {
            '*' => (0, (int?)null),
            '+' => (1, null),
            '?' => (0, 1),
            _ => ParseBounds(),
        };
        if (max > 1 && item is not (GbnfRuleRef or GbnfCharClass or GbnfLiteral))
        {
            throw Error($"a repetition up to {max} of a group");
        }

        return new GbnfRepeat(item, min, max);
    }

    private (int Min, int? Max) ParseBounds()
    {
        SkipSpace(newlineOk: false);
        var min = ParseInt();
        SkipSpace(newlineOk: false);
        int? max = min;
        if (Peek() == ',')
        {
            _position++;
            SkipSpace(newlineOk: false);
            max = char.IsAsciiDigit(Peek()) ? ParseInt() : null;
            SkipSpace(newlineOk: false);
        }

        Expect("}");
        if (min > MaxRepetition || max > MaxRepetition || min > max)
        {
            throw Error($"repetition bounds {{{min},{max}}}");
        }

        return (min, max);
    }

    private GbnfCharClass ParseCharClass()
    {
        _position++;
        var negated = Peek() == '^';
        if (negated)
        {
            _position++;
        }

        var ranges = new List<(int, int)>();
        while (Peek() != ']')
        {
            if (AtEnd)
            {
                throw Error("unexpected end of input");
            }

            var from = ParseChar();
            var to = from;
            if (Peek() == '-' && Peek(1) != ']')
            {
                _position++;
                to = ParseChar();
            }

            ranges.Add((from, to));
        }

        _position++;
        return new GbnfCharClass(negated, ranges);
    }

    private int ParseChar()
    {
        if (AtEnd)
        {
            throw Error("unexpected end of input");
        }

        if (Peek() != '\\')
        {
            var codePoint = char.ConvertToUtf32(_text, _position);
            _position += char.IsSurrogatePair(_text, _position) ? 2 : 1;
            return codePoint;
        }

        var escape = Peek(1);
        _position += 2;
        return escape switch
        {
            'x' => ParseHex(2),
            'u' => ParseHex(4),
            'U' => ParseHex(8),
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            '\\' or '"' or '[' or ']' or '-' => escape,
            _ => throw Error($"unknown escape '\\{escape}'"),
        };
    }

    private int ParseHex(int digits)
    {
        if (_position + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"expecting {digits} hex digits");
        }

        _position += digits;
        return value;
    }

    private int ParseInt()
    {
        var start = _position;
        while (char.IsAsciiDigit(Peek()))
        {
            _position++;
        }

        return start < _position ? int.Parse(_text.AsSpan(start, _position - start), CultureInfo.InvariantCulture) : throw Error("expecting an int");
    }

    private string ParseName()
    {
        var start = _position;
        while (IsWordChar(Peek()))
        {
            _position++;
        }

        return start < _position ? _text[start.._position] : throw Error("expecting name");
    }

    private void Expect(string token)
    {
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            throw Error($"expecting '{token}'");
        }

        _position += token.Length;
    }

    private void SkipSpace(bool newlineOk)
    {
        while (Peek() is ' ' or '\t' or '#' || (newlineOk && Peek() is '\r' or '\n'))
        {
            if (Peek() == '#')
            {
                while (!AtEnd && Peek() is not ('\r' or '\n'))
                {
                    _position++;
                }
            }
            else
            {
                _position++;
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static IEnumerable<string> References(GbnfNode node) => node switch
    {
        GbnfRuleRef reference => [reference.Name],
        GbnfSequence sequence => sequence.Items.SelectMany(References),
        GbnfAlternatives alternatives => alternatives.Options.SelectMany(References),
        GbnfRepeat repeat => References(repeat.Item),
        _ => [],
    };

    private FormatException Error(string what) =>
        new($"GBNF parse error: {what} at offset {_position}: '{_text[Math.Min(_position, _text.Length)..Math.Min(_position + 40, _text.Length)]}'");
}
