namespace DocExtract.Schemas.Tests.Gbnf;

// The recognizer decides every other grammar test, so it is checked against grammars whose language is known.
public class The_test_recognizer
{
    [Fact]
    public void Accepts_exactly_the_language_of_a_small_grammar()
    {
        var grammar = new GbnfRecognizer("""
            root ::= "a" item{1,3} ( "," | ";" )? tail
            item ::= [x-z] | "\u00e9"
            tail ::= [d-f]*
            """);

        grammar.AssertAccepts("ax", "axyz", "aé,", "ay;dd", "axé;", "azdef");
        grammar.AssertRejects("a", "axyzx", "ax,,", "axa", "bx", "ax;b", "ax;g");
    }

    [Fact]
    public void Follows_every_alternative_of_an_ambiguous_grammar()
    {
        var grammar = new GbnfRecognizer("""
            root ::= ( "a" | "ab" ) "b"? "c"
            """);

        grammar.AssertAccepts("ac", "abc", "abbc");
        grammar.AssertRejects("abbbc", "bc");
    }

    [Theory]
    [InlineData("root ::= \"\\q\"")]
    [InlineData("root ::= x")]
    [InlineData("root ::= \"a\"{2001}")]
    [InlineData("root ::= (\"a\" \"b\"){0,5}")]
    [InlineData("rule ::= \"a\"")]
    [InlineData("root ::= \"a\" \"b")]
    public void Refuses_grammars_llama_cpp_would_refuse_or_that_strain_its_rule_limit(string grammar) =>
        Assert.Throws<FormatException>(() => new GbnfRecognizer(grammar));
}
