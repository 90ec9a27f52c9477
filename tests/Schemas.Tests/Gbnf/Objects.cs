using DocExtract.TestSupport;

namespace DocExtract.Schemas.Tests.Gbnf;

public class An_object_with_required_and_optional_properties
{
    private readonly GbnfRecognizer _grammar = Grammars.For("""
        {
          "type": "object",
          "properties": {
            "a": { "type": "integer" }, "b": { "type": "integer" }, "c": { "type": "integer" }, "d": { "type": "integer" }
          },
          "required": ["b", "d"],
          "additionalProperties": false
        }
        """);

    [Fact]
    public void Accepts_every_subset_in_schema_order_that_keeps_the_required_keys()
    {
        string[] keys = ["a", "b", "c", "d"];
        for (var mask = 0; mask < 16; mask++)
        {
            var present = keys.Where((_, index) => (mask & (1 << index)) != 0).ToList();
            var document = "{" + string.Join(",", present.Select(key => $"\"{key}\":1")) + "}";
            var complete = present.Contains("b") && present.Contains("d");

            Assert.True(_grammar.Accepts(document) == complete, $"{document} should be {(complete ? "accepted" : "rejected")}");
        }
    }

    [Fact]
    public void Rejects_keys_out_of_schema_order() =>
        _grammar.AssertRejects("""{"d":1,"b":1}""", """{"b":1,"a":1,"d":1}""");

    [Fact]
    public void Rejects_stray_commas() =>
        _grammar.AssertRejects("""{"b":1,"d":1,}""", """{,"b":1,"d":1}""", """{"b":1,,"d":1}""", """{"a":1,"b":1"d":1}""");

    [Fact]
    public void Rejects_undeclared_and_repeated_keys() =>
        _grammar.AssertRejects("""{"b":1,"d":1,"e":1}""", """{"b":1,"b":1,"d":1}""", """{"b":1,"d":1,"d":1}""");
}

public class An_object_whose_properties_are_all_optional
{
    private readonly GbnfRecognizer _grammar = Grammars.For("""
        { "type": "object", "properties": { "x": { "type": "boolean" }, "y": { "type": "null" }, "z": { "type": "string" } } }
        """);

    [Fact]
    public void Accepts_the_empty_object_and_every_ordered_subset() =>
        _grammar.AssertAccepts("{}", "{ }", """{"x":true}""", """{"y":null}""", """{"z":""}""", """{"x":false,"z":"s"}""",
            """{"y":null,"z":"s"}""", """{"x":true,"y":null,"z":"s"}""", "{\n  \"y\": null\n}");

    [Fact]
    public void Rejects_a_leading_comma_or_a_wrong_order() =>
        _grammar.AssertRejects("""{,"x":true}""", """{"z":"s","x":true}""", """{"x":true,}""");
}

public class An_object_without_properties
{
    [Fact]
    public void Accepts_only_an_empty_object()
    {
        var grammar = Grammars.For("""{ "type": "object" }""");

        grammar.AssertAccepts("{}", "{ }", "{\n}");
        grammar.AssertRejects("""{"a":1}""", "{  }", "[]", "null");
    }
}

public class A_nested_optional_object
{
    private readonly GbnfRecognizer _grammar = Grammars.For("""
        {
          "type": "object",
          "required": ["id"],
          "properties": {
            "id": { "type": "string", "maxLength": 8 },
            "meta": {
              "type": "object",
              "required": ["y"],
              "properties": { "x": { "type": "boolean" }, "y": { "type": ["integer", "null"] } }
            },
            "note": { "type": ["object", "null"], "properties": { "text": { "type": "string" } }, "required": ["text"] }
          }
        }
        """);

    [Fact]
    public void May_be_left_out_or_given_with_its_own_required_keys() =>
        _grammar.AssertAccepts("""{"id":"1"}""", """{"id":"1","meta":{"y":null}}""", """{"id":"1","meta":{"x":true,"y":3}}""",
            """{"id":"1","note":null}""", """{"id":"1","meta":{"y":1},"note":{"text":"t"}}""");

    [Fact]
    public void Cannot_drop_its_own_required_keys_or_be_null_unless_nullable() =>
        _grammar.AssertRejects("""{"id":"1","meta":{"x":true}}""", """{"id":"1","meta":null}""", """{"meta":{"y":1}}""",
            """{"id":"1","note":{}}""");
}

public class A_nullable_object_at_the_root
{
    [Fact]
    public void Is_the_object_or_null()
    {
        var grammar = Grammars.For("""{ "type": ["object", "null"], "properties": { "a": { "type": "integer" } }, "required": ["a"] }""");

        grammar.AssertAccepts("""{"a":1}""", "null");
        grammar.AssertRejects("{}", """{"a":1} null""");
    }
}

public class An_object_with_many_optional_properties
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Has_a_grammar_that_grows_linearly_with_them(int required)
    {
        // Issue #15: each optional member opened an alternative that repeated all later ones, so the grammar grew
        // with the square of the members (20,000 took 11.5 GB).
        var single = GbnfGrammar.FromJsonSchema(HostileSchemas.ManyOptionalProperties(400, required)).Text.Length;
        var twice = GbnfGrammar.FromJsonSchema(HostileSchemas.ManyOptionalProperties(800, required)).Text.Length;

        Assert.InRange((double)twice / single, 1.8, 2.2);
    }

    [Fact]
    public void Still_accepts_exactly_the_ordered_subsets_that_keep_the_required_ones()
    {
        // p4 and p5 are required: any of p0 to p4 may come first.
        var grammar = Grammars.For(HostileSchemas.ManyOptionalProperties(6, required: 2));
        for (var mask = 0; mask < 64; mask++)
        {
            var present = Enumerable.Range(0, 6).Where(index => (mask & (1 << index)) != 0).ToList();
            var document = "{" + string.Join(",", present.Select(index => $"\"p{index}\":\"\"")) + "}";
            var complete = present.Contains(4) && present.Contains(5);

            Assert.True(grammar.Accepts(document) == complete, $"{document} should be {(complete ? "accepted" : "rejected")}");
        }
    }
}
