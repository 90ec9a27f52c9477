namespace DocExtract.Schemas.Tests.Gbnf;

public class Keys_that_need_escaping
{
    private const string Schema = """
        {
          "type": "object",
          "required": ["quote\"d", "back\\slash", "Grüße/ключ", "tab\tkey", "emoji 😀"],
          "properties": {
            "quote\"d": { "type": "integer" },
            "back\\slash": { "type": "integer" },
            "Grüße/ключ": { "type": "integer" },
            "tab\tkey": { "type": "integer" },
            "emoji 😀": { "type": "integer" }
          }
        }
        """;

    [Fact]
    public void Are_produced_in_their_shortest_json_spelling()
    {
        var grammar = Grammars.For(Schema);

        grammar.AssertAccepts("""{"quote\"d":1,"back\\slash":2,"Grüße/ключ":3,"tab\tkey":4,"emoji 😀":5}""");
        grammar.AssertRejects("""{"quote\"d":1,"back\\slash":2,"Gr\u00fc\u00dfe/ключ":3,"tab\tkey":4,"emoji 😀":5}""");
    }

    [Fact]
    public void Leave_the_grammar_plain_ascii() =>
        Assert.All(GbnfGrammar.FromJsonSchema(Schema).Text, c => Assert.InRange(c, '\n', '~'));
}

public class Whitespace_between_tokens
{
    private readonly GbnfRecognizer _grammar = Grammars.For("""
        { "type": "object", "required": ["a", "b"], "properties": { "a": { "type": "integer" }, "b": { "type": "array", "items": { "type": "integer" } } } }
        """);

    [Fact]
    public void Allows_compact_and_pretty_printed_json() =>
        _grammar.AssertAccepts("""{"a":1,"b":[1,2]}""", """{ "a": 1, "b": [ 1, 2 ] }""", "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}",
            "{\n\t\"a\" : 1 ,\n\t\"b\": []\n}");

    [Fact]
    public void Allows_at_most_one_space_or_one_newline_with_sixteen_indentation_characters() =>
        _grammar.AssertRejects("""{"a":  1,"b":[]}""", """{"a":1,"b":[]}  """.Trim() + " ", "{\n\n\"a\":1,\"b\":[]}",
            "{\n" + new string(' ', 17) + "\"a\":1,\"b\":[]}", "{\r\n\"a\":1,\"b\":[]}");

    [Fact]
    public void Follows_the_indentation_option()
    {
        var grammar = Grammars.For("""{ "type": "object", "properties": { "a": { "type": "integer" } } }""", new GbnfOptions { MaxIndent = 2 });

        grammar.AssertAccepts("{\n  \"a\": 1\n}");
        grammar.AssertRejects("{\n   \"a\": 1\n}");
    }

    [Fact]
    public void Allows_nothing_before_or_after_the_document() =>
        _grammar.AssertRejects(""" {"a":1,"b":[]}""", "{\"a\":1,\"b\":[]}\n");

    [Fact]
    public void Accepts_sixteen_indentation_characters() =>
        _grammar.AssertAccepts("{\n" + new string(' ', 16) + "\"a\":1,\"b\":[]}");
}
