using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using DocExtract.Pipeline;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Worker.Tests;

/// <summary>
/// The embedded-XML route (#12) on real e-invoices written by others (../shared/corpus/einvoice): ZUGFeRD 1.0 and 2.x,
/// Factur-X MINIMUM to EXTENDED and XRechnung, whose ground truth was read from their XML by another program.
/// </summary>
public sealed partial class Reading_e_invoices_from_their_attachments : IAsyncDisposable
{
    private static readonly string _folder = Path.Combine(Repository.Corpus, "einvoice");

    // Ground-truth field -> the invoice type's pointer, and how the two are compared.
    private static readonly (string Truth, string Pointer, Kind Kind)[] _core =
    [
        ("document_type_code", "/document_type_code", Kind.Text), ("invoice_number", "/invoice_number", Kind.Text),
        ("issue_date", "/issue_date", Kind.Text), ("due_date", "/due_date", Kind.Text),
        ("seller_name", "/seller/name", Kind.Name), ("seller_vat_id", "/seller/vat_id", Kind.Code),
        ("buyer_name", "/buyer/name", Kind.Name), ("buyer_vat_id", "/buyer/vat_id", Kind.Code),
        ("currency", "/currency", Kind.Text), ("line_total_amount", "/line_total", Kind.Amount),
        ("allowance_total_amount", "/allowance_total", Kind.Amount), ("charge_total_amount", "/charge_total", Kind.Amount),
        ("tax_basis_total_amount", "/subtotal", Kind.Amount), ("tax_total_amount", "/tax_amount", Kind.Amount),
        ("grand_total_amount", "/total", Kind.Amount), ("prepaid_amount", "/prepaid_amount", Kind.Amount),
        ("due_payable_amount", "/amount_due", Kind.Amount), ("payee_iban", "/iban", Kind.Code),
    ];

    private static readonly (string Truth, string Field, Kind Kind)[] _lineFields =
    [
        ("name", "description", Kind.Name), ("quantity", "quantity", Kind.Amount), ("unit_code", "unit", Kind.Text),
        ("net_price", "unit_price", Kind.Amount), ("net_price_basis_quantity", "price_basis_quantity", Kind.Amount),
        ("line_total", "amount", Kind.Amount),
    ];

    private static readonly (string Truth, string Field, Kind Kind)[] _taxFields =
        [("category_code", "category_code", Kind.Text), ("rate", "rate", Kind.Amount), ("basis", "basis", Kind.Amount), ("amount", "amount", Kind.Amount)];

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging()
        .AddDocExtractPipeline(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Schemas:Directory"] = Path.Combine(Repository.Root, "schemas"),
        }).Build())
        .BuildServiceProvider();

    private enum Kind { Text, Name, Code, Amount }

    public static TheoryData<string> Negatives() => [.. Truths().Where(t => !t.Truth.GetProperty("is_einvoice").GetBoolean()).Select(t => t.Name)];

    [Fact]
    public async Task Every_core_field_of_every_positive_file_equals_the_ground_truth()
    {
        var differences = new List<string>();
        var contradicted = new List<string>();
        var positives = Truths().Where(t => t.Truth.GetProperty("is_einvoice").GetBoolean()).ToList();
        foreach (var (name, truth) in positives)
        {
            var outcome = await ReadAsync(name);
            if (outcome.Data?.Data is not { } data)
            {
                differences.Add($"{name}: not read from its attachment ({string.Join("; ", outcome.Report?.Notes ?? [])})");
                continue;
            }
            Assert.Equal(EmbeddedInvoiceRoute.Route, outcome.Data.Route);
            Assert.Equal((string?)truth.GetProperty("attachment_name").GetString(), outcome.Report!.Used);
            foreach (var (field, pointer, kind) in _core)
            {
                Compare(differences, name, pointer, truth.GetProperty(field), Find(data, pointer), kind);
            }
            CompareList(differences, name, "line_items", truth, data, _lineFields);
            CompareList(differences, name, "tax_breakdown", truth, data, _taxFields);
            contradicted.AddRange(outcome.Data.Contradictions.Select(c => $"{name} {c.Pointer}"));
        }

        Assert.True(positives.Count >= 15, $"only {positives.Count} positive files found under {_folder}");
        Assert.True(differences.Count == 0, "differences from the ground truth:\n" + string.Join("\n", differences));
        // Only the page the corpus README names prints another total than its XML; every other page agrees with it.
        Assert.Equal(["mustang_MustangBeispiel20221026.pdf /total"], contradicted);
    }

    [Fact]
    public async Task Every_value_read_names_the_xml_element_it_came_from_and_that_element_holds_it()
    {
        var wrong = new List<string>();
        foreach (var (name, truth) in Truths().Where(t => t.Truth.GetProperty("is_einvoice").GetBoolean()))
        {
            var xml = XDocument.Load(Path.Combine(_folder, truth.GetProperty("xml_file").GetString()!));
            var namespaces = new XmlNamespaceManager(new NameTable());
            foreach (var declaration in xml.Root!.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns))
            {
                namespaces.AddNamespace(declaration.Name.LocalName, declaration.Value);
            }
            var outcome = await ReadAsync(name);
            foreach (var field in outcome.Data!.Fields.Where(f => f.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number))
            {
                Assert.Equal(EmbeddedInvoiceRoute.Route, field.Source!.Route);
                var path = field.Source.Path;
                // A value joined from several elements (address lines) names them as an XPath union, in document order.
                var nodes = path is null ? [] : ((IEnumerable<object>)xml.XPathEvaluate(path, namespaces)).ToList();
                var text = nodes.Count == 0 ? null : string.Join(" ", nodes.Select(node => node switch
                {
                    XElement e => e.Value, XAttribute a => a.Value, _ => "",
                }));
                if (text is null || !Same(field.Value, text))
                {
                    wrong.Add($"{name} {field.Pointer} = {field.Value.GetRawText()}: {path ?? "no path"} holds {text ?? "nothing"}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Negatives))]
    public async Task A_negative_goes_the_normal_way(string name)
    {
        var outcome = await ReadAsync(name);

        Assert.Null(outcome.Data);
        Assert.Null(outcome.Report!.Used);
        if (name.Contains("ORDER-X", StringComparison.Ordinal))
        {
            Assert.Equal(["order-x.xml"], outcome.Report.Attachments);
            Assert.Equal("order-x.xml: a CII order message (Order-X), not an invoice; ignored", Assert.Single(outcome.Report.Notes));
        }
        else
        {
            Assert.Empty(outcome.Report.Attachments);
            Assert.Empty(outcome.Report.Notes);
        }
    }

    [Fact]
    public async Task The_page_that_rounds_its_tax_differently_contradicts_the_xml_total_naming_both()
    {
        // The corpus README: this page prints "Endsumme 963,12 €", its XML says 963.11.
        var outcome = await ReadAsync("mustang_MustangBeispiel20221026.pdf");

        var contradiction = Assert.Single(outcome.Data!.Contradictions);
        Assert.Equal("/total", contradiction.Pointer);
        Assert.StartsWith("the attachment factur-x.xml gives /total as 963.11 (/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/", contradiction.Detail);
        Assert.EndsWith("ram:GrandTotalAmount), but page 1 shows 963,12", contradiction.Detail);
    }

    [Fact]
    public async Task A_read_invoice_costs_no_tokens_and_its_values_have_evidence_on_the_page()
    {
        var outcome = await ReadAsync("akretion_invoice_EN16931.pdf");
        var data = outcome.Data!;
        var fields = data.Fields.ToDictionary(f => f.Pointer);

        Assert.Equal(0, (int)data.Details!["tokens"]!["prompt"]!);
        Assert.Equal(0, (int)data.Details["tokens"]!["generated"]!);
        Assert.Equal("factur-x.xml", (string?)data.Details["attachment"]!["name"]);
        Assert.Equal(["Bon_de_livraison.pdf", "factur-x.xml"], outcome.Report!.Attachments);
        Assert.Empty(data.Contradictions);
        Assert.Equal("F20260023", fields["/invoice_number"].Evidence!.Quote);
        Assert.Equal(1, fields["/invoice_number"].Evidence!.Page);
        Assert.NotNull(fields["/total"].Evidence);
        Assert.All(data.Fields, f => Assert.Equal(1, f.Confidence));
    }

    private async Task<EmbeddedInvoiceOutcome> ReadAsync(string name)
    {
        var path = Path.Combine(_folder, "pdfs", name);
        var text = await _services.GetRequiredService<PdfTextExtractor>().ExtractAsync(path, CancellationToken.None);
        return await _services.GetRequiredService<EmbeddedInvoiceRoute>().ReadAsync(path, text, requested: null, CancellationToken.None);
    }

    private static IEnumerable<(string Name, JsonElement Truth)> Truths() =>
        Directory.EnumerateFiles(Path.Combine(_folder, "ground_truth"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Select(t => (Path.GetFileName(t.GetProperty("file").GetString()!), t));

    private static void CompareList(List<string> differences, string name, string list, JsonElement truth, JsonElement data,
        (string Truth, string Field, Kind Kind)[] fields)
    {
        var expected = truth.GetProperty(list).EnumerateArray().ToList();
        var actual = data.TryGetProperty(list, out var items) ? items.EnumerateArray().ToList() : [];
        if (expected.Count != actual.Count)
        {
            differences.Add($"{name}: /{list} has {actual.Count} item(s), the ground truth {expected.Count}");
            return;
        }
        for (var i = 0; i < expected.Count; i++)
        {
            foreach (var (field, key, kind) in fields)
            {
                Compare(differences, name, $"/{list}/{i}/{key}", expected[i].GetProperty(field),
                    actual[i].TryGetProperty(key, out var value) ? value : null, kind);
            }
        }
    }

    private static void Compare(List<string> differences, string name, string pointer, JsonElement expected, JsonElement? actual, Kind kind)
    {
        var got = actual is { ValueKind: not JsonValueKind.Null } a ? a : (JsonElement?)null;
        if (expected.ValueKind == JsonValueKind.Null || got is null)
        {
            if (expected.ValueKind != JsonValueKind.Null || got is not null)
            {
                differences.Add($"{name}: {pointer} is {got?.GetRawText() ?? "null"}, the ground truth {expected.GetRawText()}");
            }
            return;
        }
        var equal = kind switch
        {
            Kind.Amount => decimal.Parse(expected.GetString()!, CultureInfo.InvariantCulture) == got.Value.GetDecimal(),
            Kind.Name => Whitespace().Replace(expected.GetString()!, " ").Trim() == got.Value.GetString(),
            Kind.Code => Whitespace().Replace(expected.GetString()!, "") == got.Value.GetString(),
            _ => expected.GetString() == got.Value.GetString(),
        };
        if (!equal)
        {
            differences.Add($"{name}: {pointer} is {got.Value.GetRawText()}, the ground truth {expected.GetRawText()}");
        }
    }

    private static JsonElement? Find(JsonElement data, string pointer)
    {
        var current = data;
        foreach (var part in pointer[1..].Split('/'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    // The XML text of a value as the route writes it: amounts as decimals, dates in ISO form, text without inner runs of whitespace.
    private static bool Same(JsonElement value, string xml) => value.ValueKind == JsonValueKind.Number
        ? decimal.Parse(xml.Trim(), CultureInfo.InvariantCulture) == value.GetDecimal()
        : value.GetString() is var text && (Whitespace().Replace(xml, " ").Trim() == text?.Replace(", ", " ", StringComparison.Ordinal) ||
            Whitespace().Replace(xml, " ").Trim() == text || Whitespace().Replace(xml, "") == text ||
            (xml.Trim().Length == 8 && $"{xml.Trim()[..4]}-{xml.Trim()[4..6]}-{xml.Trim()[6..]}" == text) || KindOf(xml) == text);

    private static string? KindOf(string code) => code.Trim() switch
    {
        "380" => "invoice", "381" => "credit_note", "384" => "corrected_invoice", "877" => "final_invoice", _ => null,
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
