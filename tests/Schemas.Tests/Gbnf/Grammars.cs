using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Tests.Gbnf;

internal static partial class Grammars
{
    public static GbnfRecognizer For(string schemaJson, GbnfOptions? options = null) =>
        new(GbnfGrammar.FromJsonSchema(schemaJson, options).Text);

    public static void AssertAccepts(this GbnfRecognizer grammar, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.True(grammar.Accepts(text), $"The grammar rejected: {text}");
        }
    }

    public static void AssertRejects(this GbnfRecognizer grammar, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.False(grammar.Accepts(text), $"The grammar accepted: {text}");
        }
    }

    public static IReadOnlyList<string> RuleNames(string grammar) =>
        RuleHead().Matches(grammar).Select(match => match.Groups[1].Value).ToList();

    [GeneratedRegex(@"^(\S+) ::= ", RegexOptions.Multiline)]
    private static partial Regex RuleHead();
}
