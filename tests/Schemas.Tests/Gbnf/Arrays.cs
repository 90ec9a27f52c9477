namespace DocExtract.Schemas.Tests.Gbnf;

public class An_array_with_min_and_max_items
{
    [Fact]
    public void Accepts_exactly_the_counts_in_between()
    {
        var grammar = Grammars.For("""{ "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 4 }""");

        for (var count = 0; count <= 6; count++)
        {
            var document = "[" + string.Join(",", Enumerable.Repeat("7", count)) + "]";
            Assert.True(grammar.Accepts(document) == count is >= 2 and <= 4, $"{document} with {count} items");
        }
    }

    [Fact]
    public void Without_min_items_may_be_empty()
    {
        var grammar = Grammars.For("""{ "type": "array", "items": { "type": "string" }, "maxItems": 2 }""");

        grammar.AssertAccepts("[]", "[ ]", "[\"a\"]", "[\"a\", \"b\"]", "[\n  \"a\",\n  \"b\"\n]");
        grammar.AssertRejects("[,]", "[\"a\",]", "[\"a\" \"b\"]");
    }

    [Fact]
    public void With_max_items_zero_is_always_empty() =>
        Grammars.For("""{ "type": "array", "items": { "type": "string" }, "maxItems": 0 }""").AssertRejects("[\"a\"]");
}

public class An_array_without_max_items
{
    [Fact]
    public void Is_capped_at_100_items()
    {
        var grammar = Grammars.For("""{ "type": "array", "items": { "type": "boolean" } }""");

        grammar.AssertAccepts(Array(100));
        grammar.AssertRejects(Array(101));
    }

    [Fact]
    public void Follows_the_cap_option() =>
        Grammars.For("""{ "type": "array", "items": { "type": "boolean" } }""", new GbnfOptions { DefaultMaxItems = 3 })
            .AssertRejects(Array(4));

    private static string Array(int count) => "[" + string.Join(",", Enumerable.Repeat("true", count)) + "]";
}

public class Arrays_of_objects
{
    [Fact]
    public void Repeat_the_item_object_with_its_own_rules()
    {
        var grammar = Grammars.For("""
            {
              "type": "array", "maxItems": 3,
              "items": { "type": "object", "required": ["n"], "properties": { "n": { "type": "integer" }, "s": { "type": "string" } } }
            }
            """);

        grammar.AssertAccepts("""[{"n":1},{"n":2,"s":"x"}]""", "[\n  {\n    \"n\": 1\n  }\n]");
        grammar.AssertRejects("""[{"n":1},{"s":"x"}]""", """[{"n":1},{"n":2},{"n":3},{"n":4}]""");
    }
}
