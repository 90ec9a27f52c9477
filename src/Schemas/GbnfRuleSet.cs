using System.Text;

namespace DocExtract.Schemas;

// The named rules of one grammar. Names come from property paths (seller-address-city) made into GBNF identifiers;
// a clash gets a numeric suffix in order of first use, so the same schema always yields the same grammar.
internal sealed class GbnfRuleSet(GbnfPrimitives primitives)
{
    public const string RootName = "root";

    private readonly List<string> _order = [];
    private readonly Dictionary<string, string?> _bodies = new(StringComparer.Ordinal);

    public string Reserve(string candidate)
    {
        var stem = Identifier(candidate);
        var name = stem;
        for (var suffix = 2; _bodies.ContainsKey(name) || GbnfPrimitives.IsReserved(name); suffix++)
        {
            name = $"{stem}-{suffix}";
        }

        _order.Add(name);
        _bodies[name] = null;
        return name;
    }

    public void Define(string name, string body) => _bodies[name] = body;

    public string Render()
    {
        var text = new StringBuilder();
        var rules = _order.Select(name => (Name: name, Body: _bodies[name] ?? throw new InvalidOperationException(
                $"Rule '{name}' was reserved but never defined.")))
            .OrderBy(rule => rule.Name == RootName ? 0 : 1)
            .Concat(primitives.Rules);
        foreach (var (name, body) in rules)
        {
            text.Append(name).Append(" ::= ").Append(body).Append('\n');
        }

        return text.ToString();
    }

    // GBNF names are letters, digits and '-' (is_word_char in llama.cpp); everything else becomes a single '-'.
    private static string Identifier(string candidate)
    {
        var text = new StringBuilder(candidate.Length);
        foreach (var c in candidate.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(c);
            }
            else if (text.Length > 0 && text[^1] != '-')
            {
                text.Append('-');
            }
        }

        var name = text.ToString().TrimEnd('-');
        return name.Length > 0 ? name : "field";
    }
}
