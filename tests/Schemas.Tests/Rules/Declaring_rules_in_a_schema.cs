using DocExtract.Schemas.Rules;
using ScratchFolder = DocExtract.Schemas.Tests.Catalog.SchemaFolder;

namespace DocExtract.Schemas.Tests.Rules;

public sealed class Declaring_rules_in_a_schema : IDisposable
{
    private const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "T", "description": "D", "type": "object",
          "additionalProperties": false,
          "required": ["lines", "net", "tax", "total", "iban", "signed", "party"],
          "properties": {
            "lines": { "type": "array", "maxItems": 5, "items": { "type": "object", "additionalProperties": false,
              "required": ["amount"], "properties": { "amount": { "type": ["number", "null"] } } } },
            "net": { "type": ["number", "null"] },
            "tax": { "type": ["number", "null"] },
            "total": { "type": ["number", "null"] },
            "iban": { "type": ["string", "null"], "maxLength": 34 },
            "signed": { "type": ["string", "null"], "format": "date" },
            "party": { "anyOf": [{ "$ref": "#/$defs/party" }, { "type": "null" }] }
          },
          "$defs": { "party": { "type": "object", "additionalProperties": false, "required": ["vat"],
            "properties": { "vat": { "type": ["string", "null"], "maxLength": 20 } } } },
          "x-docextract-rules": RULES
        }
        """;

    private readonly ScratchFolder _folder = new();

    public static TheoryData<string, string> Mistakes => new()
    {
        { """[{ "kind": "sum", "items": "/lines/*/amount", "equals": "/subtotal" }]""", "'x-docextract-rules' at #/x-docextract-rules/0: '/subtotal' names '/subtotal', which the schema does not declare" },
        { """[{ "kind": "iban", "field": "/iban" }, { "kind": "eu-vat", "field": "/party/vta" }]""", "at #/x-docextract-rules/1: '/party/vta' names '/party/vta'" },
        { """[{ "kind": "iban", "field": "/total" }]""", "'/total' is declared as number or null, but this rule reads it as string" },
        { """[{ "kind": "sum-of", "fields": ["/net", "/iban"], "equals": "/total" }]""", "'/iban' is declared as string or null, but this rule reads it as number or integer" },
        { """[{ "kind": "product", "fields": ["/net"] }]""", "\"kind\" must be one of sum, sum-of, date-order, iban, eu-vat; got 'product'" },
        { """[{ "fields": ["/net"] }]""", "\"kind\" must be one of" },
        { """[{ "kind": "sum-of", "fields": ["/net", "/tax"], "equals": "/total", "tolerence": 0.01 }]""", "a 'sum-of' rule has no property \"tolerence\"" },
        { """[{ "kind": "sum-of", "fields": ["/net"], "equals": "/lines/*/amount" }]""", "\"equals\" '/lines/*/amount' must name one value" },
        { """[{ "kind": "sum", "items": "/net", "equals": "/total" }]""", "must step through an array with '*'" },
        { """[{ "kind": "sum", "items": "/net/*", "equals": "/total" }]""", "steps into '/net/*' as an array item, but the schema has no array there" },
        { """[{ "kind": "sum", "items": "/lines/*/amount", "minus": ["/lines/*/amount"], "equals": "/net" }]""", "\"minus\" '/lines/*/amount' must name one value" },
        { """[{ "kind": "sum", "items": "/lines/*/amount", "plus": "/tax", "equals": "/net" }]""", "\"plus\" must be an array of at least 1 JSON Pointer(s)" },
        { """[{ "kind": "sum-of", "fields": ["/net", "/tax"], "equals": "/total", "tolerance": -1 }]""", "\"tolerance\" must be a number of 0 or more" },
        { """[{ "kind": "date-order", "fields": ["/signed"] }]""", "\"fields\" must be an array of at least 2" },
        { """[{ "kind": "iban", "field": "iban" }]""", "'iban' is not a JSON Pointer" },
        { """[{ "kind": "iban", "field": "/iban" }, { "kind": "iban", "field": "/iban" }]""", "two rules are named 'iban /iban'" },
        { """{ "kind": "iban", "field": "/iban" }""", "must be an array of rules" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_makes_the_schema_fail_to_load_saying_where(string rules, string reason)
    {
        _folder.Write("deal.json", Schema.Replace("RULES", rules, StringComparison.Ordinal));
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });

        var snapshot = await catalog.GetSnapshotAsync();

        Assert.Empty(snapshot.Schemas);
        Assert.Contains(reason, Assert.Single(snapshot.Errors).Reason);
    }

    [Fact]
    public async Task Rules_through_arrays_references_and_alternatives_load_in_order()
    {
        _folder.Write("deal.json", Schema.Replace("RULES", """
            [
              { "kind": "sum", "items": "/lines/*/amount", "equals": "/net" },
              { "kind": "sum-of", "fields": ["/net", "/tax"], "equals": "/total", "tolerance": 0.5, "name": "net and tax" },
              { "kind": "sum-of", "fields": ["/lines/0/amount"], "equals": "/net" },
              { "kind": "date-order", "fields": ["/signed", "/signed"] },
              { "kind": "iban", "field": "/iban" },
              { "kind": "eu-vat", "field": "/party/vat" }
            ]
            """, StringComparison.Ordinal));
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });

        var deal = await catalog.FindAsync("deal");

        Assert.NotNull(deal);
        Assert.Equal(
            ["sum /lines/*/amount = /net", "net and tax", "/lines/0/amount = /net", "/signed <= /signed", "iban /iban", "eu-vat /party/vat"],
            deal.Rules.Select(rule => rule.Name));
        Assert.Equal(0.5m, Assert.IsType<SumRule>(deal.Rules[1]).Tolerance);
    }

    [Fact]
    public async Task Sums_are_exact_decimals_held_to_their_tolerance()
    {
        _folder.Write("deal.json", Schema.Replace("RULES", """
            [{ "kind": "sum-of", "fields": ["/net", "/tax"], "equals": "/total" }]
            """, StringComparison.Ordinal));
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });
        var rule = Assert.Single((await catalog.FindAsync("deal"))!.Rules);

        using var exact = System.Text.Json.JsonDocument.Parse("""{ "net": 0.1, "tax": 0.2, "total": 0.3 }""");
        using var off = System.Text.Json.JsonDocument.Parse("""{ "net": 0.1, "tax": 0.2, "total": 0.30000001 }""");

        Assert.Equal(RuleResult.Pass, rule.Evaluate(exact.RootElement).Outcome);
        Assert.Equal(RuleResult.Fail, rule.Evaluate(off.RootElement).Outcome);
    }

    [Fact]
    public async Task A_schema_without_rules_has_none()
    {
        _folder.Write("deal.json", Schema.Replace(",\n  \"x-docextract-rules\": RULES", "", StringComparison.Ordinal));
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = _folder.Path });

        var deal = await catalog.FindAsync("deal");

        Assert.NotNull(deal);
        Assert.Empty(deal.Rules);
    }

    [Theory]
    [InlineData("invoice", 7)]
    [InlineData("bank-statement", 3)]
    [InlineData("contract", 3)]
    public async Task The_built_in_types_declare_theirs(string type, int count)
    {
        using var catalog = new SchemaCatalog(new SchemaCatalogOptions { Folder = TestFiles.SchemasFolder });

        var schema = await catalog.FindAsync(type);

        Assert.NotNull(schema);
        Assert.Equal(count, schema.Rules.Count);
    }

    public void Dispose() => _folder.Dispose();
}
