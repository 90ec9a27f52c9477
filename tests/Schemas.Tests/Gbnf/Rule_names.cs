using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Tests.Gbnf;

public class Rule_names_in_a_grammar
{
    private const string Clashing = """
        {
          "type": "object",
          "required": ["date", "when", "ws", "string-0-512", "root", "Größe der Sache"],
          "properties": {
            "date": { "type": "object", "required": ["d"], "properties": { "d": { "type": "integer" } } },
            "when": { "type": "string", "format": "date" },
            "ws": { "enum": ["a", "b"] },
            "string-0-512": { "enum": ["c", "d"] },
            "root": { "enum": ["e", "f"] },
            "Größe der Sache": { "enum": ["g", "h"] }
          }
        }
        """;

    [Fact]
    public void Are_lowercase_gbnf_identifiers_defined_once()
    {
        var names = Grammars.RuleNames(GbnfGrammar.FromJsonSchema(Clashing).Text);

        Assert.All(names, name => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", name));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Never_capture_a_shared_rule_when_a_property_shares_its_name()
    {
        var grammar = Grammars.For(Clashing);

        grammar.AssertAccepts("""{"date":{"d":1},"when":"2026-01-05","ws":"a","string-0-512":"c","root":"e","Größe der Sache":"g"}""");
        grammar.AssertRejects("""{"date":{"d":1},"when":"2026-01-05","ws":" ","string-0-512":"c","root":"e","Größe der Sache":"g"}""");
    }

    [Fact]
    public void Come_out_the_same_every_time()
    {
        var schema = TestFiles.Schema("invoice");

        Assert.Equal(GbnfGrammar.FromJsonSchema(schema), GbnfGrammar.FromJsonSchema(schema));
        Assert.StartsWith("root ::= ", GbnfGrammar.FromJsonSchema(schema).Text);
    }

    [Fact]
    public void Follow_the_property_path()
    {
        var names = Grammars.RuleNames(GbnfGrammar.FromJsonSchema(TestFiles.Schema("invoice")).Text);

        Assert.Contains("line-items-item", names);
        Assert.Contains("party-address-kv", names);
        Assert.DoesNotContain(names, name => Regex.IsMatch(name, "-[0-9]+$") && !name.StartsWith("string-", StringComparison.Ordinal)
            && !name.StartsWith("date-day-", StringComparison.Ordinal));
    }
}
