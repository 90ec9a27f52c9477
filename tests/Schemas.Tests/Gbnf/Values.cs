namespace DocExtract.Schemas.Tests.Gbnf;

public class A_nullable_enum
{
    [Fact]
    public void Accepts_each_listed_value_and_null_only()
    {
        var grammar = Grammars.For("""{ "type": ["string", "null"], "enum": ["EUR", "USD", null] }""");

        grammar.AssertAccepts("\"EUR\"", "\"USD\"", "null");
        grammar.AssertRejects("\"GBP\"", "\"eur\"", "\"EUR \"", "\"\"", "\"null\"");
    }

    [Fact]
    public void Of_mixed_values_spells_each_as_json()
    {
        var grammar = Grammars.For("""{ "enum": [1, 2.5, "x", true, null] }""");

        grammar.AssertAccepts("1", "2.5", "\"x\"", "true", "null");
        grammar.AssertRejects("2", "\"1\"", "false", "x");
    }

    [Fact]
    public void Leaves_out_values_of_a_type_the_schema_excludes()
    {
        var grammar = Grammars.For("""{ "type": "string", "enum": ["a", 1, null] }""");

        grammar.AssertAccepts("\"a\"");
        grammar.AssertRejects("1", "null");
    }
}

public class A_const
{
    [Fact]
    public void Accepts_exactly_its_value()
    {
        var grammar = Grammars.For("""
            { "type": "object", "required": ["v", "kind"], "properties": { "v": { "const": 2 }, "kind": { "const": "invoice" } } }
            """);

        grammar.AssertAccepts("""{"v":2,"kind":"invoice"}""");
        grammar.AssertRejects("""{"v":3,"kind":"invoice"}""", """{"v":2,"kind":"Invoice"}""", """{"v":2.0,"kind":"invoice"}""");
    }
}

public class Numbers_in_a_grammar
{
    [Fact]
    public void Are_json_integers_of_at_most_fifteen_digits()
    {
        var grammar = Grammars.For("""{ "type": "integer" }""");

        grammar.AssertAccepts("0", "-7", "123456789012345");
        grammar.AssertRejects("01", "1.5", "1e3", "+1", "-", "1234567890123456", "\"1\"");
    }

    [Fact]
    public void Are_json_decimals_without_exponent_and_with_at_most_six_fraction_digits()
    {
        var grammar = Grammars.For("""{ "type": "number" }""");

        grammar.AssertAccepts("0", "0.5", "-12.123456", "1382.03");
        grammar.AssertRejects("1.1234567", "1.", ".5", "1e5", "1E-2", "NaN", "-0.5.1");
    }

    [Fact]
    public void Follow_the_digit_options()
    {
        var grammar = Grammars.For("""{ "type": "number" }""", new GbnfOptions { MaxIntegerDigits = 3, MaxFractionDigits = 0 });

        grammar.AssertAccepts("999", "-100");
        grammar.AssertRejects("1000", "1.5");
    }
}

public class Strings_in_a_grammar
{
    [Fact]
    public void Without_max_length_are_capped_at_512_characters()
    {
        var grammar = Grammars.For("""{ "type": "string" }""");

        grammar.AssertAccepts(Quoted(new string('x', 512)));
        grammar.AssertRejects(Quoted(new string('x', 513)));
    }

    [Fact]
    public void Without_max_length_follow_the_cap_option()
    {
        var grammar = Grammars.For("""{ "type": "string" }""", new GbnfOptions { DefaultMaxStringLength = 10 });

        grammar.AssertAccepts(Quoted(new string('x', 10)));
        grammar.AssertRejects(Quoted(new string('x', 11)));
    }

    [Fact]
    public void Keep_between_min_and_max_length()
    {
        var grammar = Grammars.For("""{ "type": "string", "minLength": 2, "maxLength": 3 }""");

        grammar.AssertAccepts("\"ab\"", "\"abc\"");
        grammar.AssertRejects("\"a\"", "\"abcd\"");
    }

    [Fact]
    public void Above_llama_cpp_s_repetition_limit_are_capped_at_it()
    {
        var grammar = GbnfGrammar.FromJsonSchema("""{ "type": "string", "maxLength": 100000 }""").Text;

        Assert.Contains("char{0,2000}", grammar);
    }

    [Fact]
    public void Allow_exactly_the_json_escapes_and_count_each_as_one_character()
    {
        var grammar = Grammars.For("""{ "type": "string", "maxLength": 1 }""");

        grammar.AssertAccepts("\"\\\"\"", "\"\\\\\"", "\"\\/\"", "\"\\b\"", "\"\\f\"", "\"\\n\"", "\"\\r\"", "\"\\t\"", "\"\\u00e9\"",
            "\"\\u00E9\"");
        grammar.AssertRejects("\"\\x41\"", "\"\\u12\"", "\"\\'\"", "\"\\\"", "\"\"\"");
    }

    [Fact]
    public void Refuse_raw_control_characters() =>
        Grammars.For("""{ "type": "string" }""").AssertRejects("\"a\nb\"", "\"a\tb\"", "\"\u0000\"", "\"\u007f\"");

    [Fact]
    public void Accept_any_other_character_of_the_basic_plane_as_itself()
    {
        var grammar = Grammars.For("""{ "type": "string", "maxLength": 9 }""");

        grammar.AssertAccepts("\"Grüße €\"", "\"ключ\"", "\"€ 1.382\"", "\"中文\"");
    }

    [Fact]
    public void Take_a_character_above_the_basic_plane_as_a_surrogate_escape_counted_as_the_validator_counts_it()
    {
        // U+1F600 is two UTF-16 code units, and NJsonSchema's maxLength counts code units: raw, the grammar would
        // count it once and admit a string the validator then refuses as too long.
        var grammar = Grammars.For("""{ "type": "string", "maxLength": 2 }""");

        grammar.AssertAccepts("\"\\ud83d\\ude00\"");
        grammar.AssertRejects("\"😀\"", "\"a\\ud83d\\ude00\"");
    }

    private static string Quoted(string text) => "\"" + text + "\"";
}

public class Date_formats_in_a_grammar
{
    private readonly GbnfRecognizer _date = Grammars.For("""{ "type": "string", "format": "date" }""");
    private readonly GbnfRecognizer _dateTime = Grammars.For("""{ "type": "string", "format": "date-time" }""");

    [Theory]
    [InlineData("2026-01-31")]
    [InlineData("2026-04-30")]
    [InlineData("2026-02-28")]
    [InlineData("2024-02-29")]
    [InlineData("2000-02-29")]
    [InlineData("1999-12-01")]
    public void Accept_calendar_dates(string date) => _date.AssertAccepts($"\"{date}\"");

    [Theory]
    [InlineData("2026-13-40")]
    [InlineData("2026-00-10")]
    [InlineData("2026-01-00")]
    [InlineData("2026-04-31")]
    [InlineData("2026-02-29")]
    [InlineData("1900-02-29")]
    [InlineData("2100-02-29")]
    [InlineData("2026-1-05")]
    [InlineData("26-01-05")]
    [InlineData("0999-01-01")]
    [InlineData("2026-01-05T10:00:00Z")]
    [InlineData("05.01.2026")]
    public void Reject_anything_else_as_a_date(string date) => _date.AssertRejects($"\"{date}\"", date);

    [Theory]
    [InlineData("2026-03-02T14:05:09Z")]
    [InlineData("2026-03-02T14:05:09.123+01:00")]
    [InlineData("2026-03-02T23:59:59-05:30")]
    public void Accept_rfc_3339_date_times(string dateTime) => _dateTime.AssertAccepts($"\"{dateTime}\"");

    [Theory]
    [InlineData("2026-03-02T24:00:00Z")]
    [InlineData("2026-03-02T14:60:00Z")]
    [InlineData("2026-03-02 14:05:09Z")]
    [InlineData("2026-03-02T14:05:09")]
    [InlineData("2026-02-30T14:05:09Z")]
    [InlineData("2026-03-02T14:05:09.1234567890Z")]
    public void Reject_anything_else_as_a_date_time(string dateTime) => _dateTime.AssertRejects($"\"{dateTime}\"");

    [Fact]
    public void Refuse_a_max_length_that_cuts_into_the_format()
    {
        var error = Assert.Throws<SchemaNotSupportedException>(
            () => GbnfGrammar.FromJsonSchema("""{ "type": "string", "format": "date", "maxLength": 8 }"""));

        Assert.Equal("maxLength", error.Keyword);
    }
}
