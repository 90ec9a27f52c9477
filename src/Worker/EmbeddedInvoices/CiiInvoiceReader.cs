using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DocExtract.Worker.EmbeddedInvoices;

/// <summary>An invoice read from its XML: the <c>invoice</c> type's JSON, and the XML path each value came from.</summary>
/// <param name="Notes">Values left null because the type cannot hold them as written (a BIC of the wrong length).</param>
public sealed record EmbeddedInvoice(
    string Syntax, string? Profile, string? TypeCode, JsonObject Data, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<string> Notes);

/// <summary>The XML is well-formed but not an invoice this reader knows (an order, a UBL file, anything else).</summary>
public sealed class NotAnInvoiceException(string reason) : Exception(reason);

/// <summary>
/// Maps UN/CEFACT Cross Industry Invoice XML onto the <c>invoice</c> type (issue #12): ZUGFeRD 2.x, Factur-X and
/// XRechnung in CII (root <c>rsm:CrossIndustryInvoice</c>, D16B), and ZUGFeRD 1.0 (<c>rsm:CrossIndustryDocument</c>),
/// whose elements have older names. Elements are matched by local name below a root of a known namespace, values
/// are taken as written (amounts as exact decimals), and a malformed amount or date is a <see cref="FormatException"/>
/// rather than a guess. Business terms follow EN 16931 (BT numbers in the comments).
/// </summary>
public static partial class CiiInvoiceReader
{
    private const string CiiNamespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    private const string ZugferdOneNamespace = "urn:ferd:CrossIndustryDocument:invoice:1p0";

    // The element names that differ between CII D16B and ZUGFeRD 1.0.
    private sealed record Dialect(
        string Syntax, string Context, string Header, string Transaction, string Agreement, string Delivery, string Settlement,
        string Summation, string LineAgreement, string LineDelivery, string LineSettlement, string LineSummation, string Percent,
        string OrderId);

    private static readonly Dialect Cii = new("CII", "ExchangedDocumentContext", "ExchangedDocument", "SupplyChainTradeTransaction",
        "ApplicableHeaderTradeAgreement", "ApplicableHeaderTradeDelivery", "ApplicableHeaderTradeSettlement",
        "SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedLineTradeAgreement", "SpecifiedLineTradeDelivery",
        "SpecifiedLineTradeSettlement", "SpecifiedTradeSettlementLineMonetarySummation", "RateApplicablePercent", "IssuerAssignedID");

    private static readonly Dialect ZugferdOne = new("ZUGFeRD 1.0", "SpecifiedExchangedDocumentContext", "HeaderExchangedDocument",
        "SpecifiedSupplyChainTradeTransaction", "ApplicableSupplyChainTradeAgreement", "ApplicableSupplyChainTradeDelivery",
        "ApplicableSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation", "SpecifiedSupplyChainTradeAgreement",
        "SpecifiedSupplyChainTradeDelivery", "SpecifiedSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation",
        "ApplicablePercent", "ID");

    // UNTDID 1001 codes of invoices and credit notes, as the invoice type's kinds.
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["380"] = "invoice", ["383"] = "invoice", ["386"] = "invoice", ["389"] = "invoice", ["393"] = "invoice", ["394"] = "invoice",
        ["395"] = "invoice", ["575"] = "invoice", ["623"] = "invoice", ["751"] = "invoice", ["780"] = "invoice", ["82"] = "invoice",
        ["381"] = "credit_note", ["261"] = "credit_note", ["262"] = "credit_note", ["296"] = "credit_note", ["308"] = "credit_note",
        ["396"] = "credit_note", ["420"] = "credit_note", ["458"] = "credit_note", ["532"] = "credit_note",
        ["384"] = "corrected_invoice", ["471"] = "corrected_invoice", ["472"] = "corrected_invoice", ["473"] = "corrected_invoice",
        ["325"] = "proforma", ["326"] = "partial_invoice", ["875"] = "partial_invoice",
        ["876"] = "final_invoice", ["877"] = "final_invoice", ["457"] = "cancellation",
    };

    public static EmbeddedInvoice Read(XDocument xml)
    {
        var root = xml.Root!;
        var dialect = (root.Name.NamespaceName, root.Name.LocalName) switch
        {
            (CiiNamespace, "CrossIndustryInvoice") => Cii,
            (ZugferdOneNamespace, "CrossIndustryDocument") => ZugferdOne,
            _ => throw new NotAnInvoiceException(Describe(root)),
        };
        var map = new Mapping();
        var data = new JsonObject();
        var header = Child(root, dialect.Header);
        var transaction = Child(root, dialect.Transaction);
        var agreement = Child(transaction, dialect.Agreement);
        var settlement = Child(transaction, dialect.Settlement);
        var summation = Child(settlement, dialect.Summation);
        var typeCode = Child(header, "TypeCode");

        map.Text(data, "invoice_number", "/invoice_number", Child(header, "ID"));                                  // BT-1
        map.Put(data, "invoice_type", "/invoice_type", typeCode, e => Kinds.TryGetValue(Trim(e.Value), out var kind) ? kind : null);
        map.Date(data, "issue_date", "/issue_date", Child(Child(header, "IssueDateTime"), "DateTimeString"));   // BT-2
        var dueDate = Children(settlement, "SpecifiedTradePaymentTerms")
            .Select(terms => Child(Child(terms, "DueDateDateTime"), "DateTimeString")).FirstOrDefault(d => d is not null);
        map.Date(data, "due_date", "/due_date", dueDate);                                                        // BT-9
        var period = Child(settlement, "BillingSpecifiedPeriod");
        var delivered = Child(Child(Child(Child(transaction, dialect.Delivery), "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime"), "DateTimeString");
        map.Date(data, "service_period_start", "/service_period_start", Child(Child(period, "StartDateTime"), "DateTimeString") ?? delivered); // BT-73, BT-72
        map.Date(data, "service_period_end", "/service_period_end", Child(Child(period, "EndDateTime"), "DateTimeString") ?? delivered);     // BT-74
        data["seller"] = Party(map, Child(agreement, "SellerTradeParty"), "/seller");                          // BG-4
        data["buyer"] = Party(map, Child(agreement, "BuyerTradeParty"), "/buyer");                             // BG-7
        map.Text(data, "purchase_order_number", "/purchase_order_number",
            Child(Child(agreement, "BuyerOrderReferencedDocument"), dialect.OrderId));                         // BT-13
        var currency = Child(settlement, "InvoiceCurrencyCode");                                                 // BT-5
        map.Text(data, "currency", "/currency", currency);
        data["line_items"] = LineItems(map, dialect, transaction);                                               // BG-25
        map.Amount(data, "subtotal", "/subtotal", Child(summation, "TaxBasisTotalAmount"));                     // BT-109
        // BT-110 is the tax in the invoice currency; a second TaxTotalAmount (BT-111) is in the tax currency.
        var taxes = Children(summation, "TaxTotalAmount").ToList();
        var tax = taxes.FirstOrDefault(t => (string?)t.Attribute("currencyID") == Trim(currency?.Value)) ?? taxes.FirstOrDefault();
        map.Amount(data, "tax_amount", "/tax_amount", tax);
        map.Amount(data, "total", "/total", Child(summation, "GrandTotalAmount"));                              // BT-112
        var terms = Children(settlement, "SpecifiedTradePaymentTerms").Select(t => Child(t, "Description")).OfType<XElement>().ToList();
        map.Joined(data, "payment_terms", "/payment_terms", terms, " ");                                        // BT-20
        var means = Children(settlement, "SpecifiedTradeSettlementPaymentMeans").ToList();
        // The type holds an IBAN and a BIC in their standard shapes only; demo files carry placeholders ("BIC_MONCOMPTE").
        map.Put(data, "iban", "/iban", means.Select(m => Child(Child(m, "PayeePartyCreditorFinancialAccount"), "IBANID")).FirstOrDefault(i => i is not null),
            e => map.Shaped("/iban", NoSpaces(e.Value), Iban(), "an IBAN (15 to 34 letters and digits)"));  // BT-84
        map.Put(data, "bic", "/bic", means.Select(m => Child(Child(m, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID")).FirstOrDefault(i => i is not null),
            e => map.Shaped("/bic", NoSpaces(e.Value), Bic(), "a BIC (8 or 11 letters and digits)"));      // BT-86
        map.Text(data, "payment_reference", "/payment_reference", Child(settlement, "PaymentReference"));      // BT-83
        // The fields the type gained for e-invoices (#12) come last, as in the schema.
        map.Text(data, "document_type_code", "/document_type_code", typeCode);                                   // BT-3
        map.Amount(data, "line_total", "/line_total", Child(summation, "LineTotalAmount"));                     // BT-106
        map.Amount(data, "allowance_total", "/allowance_total", Child(summation, "AllowanceTotalAmount"));      // BT-107
        map.Amount(data, "charge_total", "/charge_total", Child(summation, "ChargeTotalAmount"));               // BT-108
        data["tax_breakdown"] = TaxBreakdown(map, dialect, settlement);                                          // BG-23
        map.Amount(data, "prepaid_amount", "/prepaid_amount", Child(summation, "TotalPrepaidAmount"));         // BT-113
        map.Amount(data, "amount_due", "/amount_due", Child(summation, "DuePayableAmount"));                    // BT-115

        var profile = Child(Child(Child(root, dialect.Context), "GuidelineSpecifiedDocumentContextParameter"), "ID");
        return new EmbeddedInvoice(dialect.Syntax, profile is null ? null : Trim(profile.Value), typeCode is null ? null : Trim(typeCode.Value),
            data, map.Sources, map.Notes);
    }

    private static JsonObject? Party(Mapping map, XElement? party, string pointer)
    {
        if (party is null)
        {
            return null;
        }
        var json = new JsonObject();
        map.Put(json, "name", pointer + "/name", Child(party, "Name"), e => Collapse(e.Value));
        json["name"] ??= "";
        var address = Child(party, "PostalTradeAddress");
        if (address is null)
        {
            json["address"] = null;
        }
        else
        {
            var postal = new JsonObject();
            var lines = new[] { "LineOne", "LineTwo", "LineThree" }.Select(n => Child(address, n)).OfType<XElement>().ToList();
            map.Joined(postal, "street", pointer + "/address/street", lines, ", ");
            map.Text(postal, "postal_code", pointer + "/address/postal_code", Child(address, "PostcodeCode"));
            map.Text(postal, "city", pointer + "/address/city", Child(address, "CityName"));
            map.Text(postal, "country", pointer + "/address/country", Child(address, "CountryID"));
            json["address"] = postal;
        }
        // A VAT id has the scheme VA (BT-31, BT-48), a national tax number FC (BT-32).
        var registrations = Children(party, "SpecifiedTaxRegistration").Select(r => Child(r, "ID")).OfType<XElement>().ToList();
        map.Put(json, "vat_id", pointer + "/vat_id", registrations.FirstOrDefault(id => (string?)id.Attribute("schemeID") == "VA"), e => NoSpaces(e.Value));
        map.Text(json, "tax_number", pointer + "/tax_number", registrations.FirstOrDefault(id => (string?)id.Attribute("schemeID") == "FC"));
        return json;
    }

    private static JsonArray LineItems(Mapping map, Dialect dialect, XElement? transaction)
    {
        var items = new JsonArray();
        foreach (var (line, index) in Children(transaction, "IncludedSupplyChainTradeLineItem").Select((l, i) => (l, i)))
        {
            var pointer = $"/line_items/{index}";
            var item = new JsonObject();
            var price = Child(Child(line, dialect.LineAgreement), "NetPriceProductTradePrice");
            var quantity = Child(Child(line, dialect.LineDelivery), "BilledQuantity");
            var settlement = Child(line, dialect.LineSettlement);
            map.Put(item, "description", pointer + "/description", Child(Child(line, "SpecifiedTradeProduct"), "Name"), e => Collapse(e.Value)); // BT-153
            item["description"] ??= "";
            map.Amount(item, "quantity", pointer + "/quantity", quantity);                                        // BT-129
            map.Put(item, "unit", pointer + "/unit", quantity?.Attribute("unitCode"), a => Trim(a.Value)); // BT-130
            map.Amount(item, "unit_price", pointer + "/unit_price", Child(price, "ChargeAmount"));               // BT-146
            map.Amount(item, "price_basis_quantity", pointer + "/price_basis_quantity", Child(price, "BasisQuantity")); // BT-149
            map.Amount(item, "tax_rate", pointer + "/tax_rate", Child(Child(settlement, "ApplicableTradeTax"), dialect.Percent)); // BT-152
            map.Amount(item, "amount", pointer + "/amount", Child(Child(settlement, dialect.LineSummation), "LineTotalAmount")); // BT-131
            items.Add(item);
        }
        return items;
    }

    private static JsonArray TaxBreakdown(Mapping map, Dialect dialect, XElement? settlement)
    {
        var rows = new JsonArray();
        foreach (var (tax, index) in Children(settlement, "ApplicableTradeTax").Select((t, i) => (t, i)))
        {
            var pointer = $"/tax_breakdown/{index}";
            var row = new JsonObject();
            map.Text(row, "category_code", pointer + "/category_code", Child(tax, "CategoryCode"));             // BT-118
            map.Amount(row, "rate", pointer + "/rate", Child(tax, dialect.Percent) ?? Child(tax, "ApplicablePercent")); // BT-119
            map.Amount(row, "basis", pointer + "/basis", Child(tax, "BasisAmount"));                              // BT-116
            map.Amount(row, "amount", pointer + "/amount", Child(tax, "CalculatedAmount"));                       // BT-117
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Sets values and remembers the XML path each one came from.</summary>
    private sealed class Mapping
    {
        public Dictionary<string, string> Sources { get; } = new(StringComparer.Ordinal);

        public List<string> Notes { get; } = [];

        public string? Shaped(string pointer, string? value, Regex shape, string what)
        {
            if (value is null || shape.IsMatch(value))
            {
                return value;
            }
            Notes.Add($"{pointer} left null: '{Shorten(value)}' is not {what}");
            return null;
        }

        public void Put<T>(JsonObject target, string key, string pointer, T? source, Func<T, JsonNode?> convert)
            where T : XObject
        {
            var value = source is null ? null : convert(source);
            target[key] = value;
            if (value is not null)
            {
                Sources[pointer] = XmlPaths.Of(source!);
            }
        }

        /// <summary>Several elements' text joined into one value; its source is the XPath union of their paths.</summary>
        public void Joined(JsonObject target, string key, string pointer, IReadOnlyList<XElement> parts, string separator)
        {
            var used = parts.Where(p => Collapse(p.Value).Length > 0).ToList();
            target[key] = used.Count == 0 ? null : string.Join(separator, used.Select(p => Collapse(p.Value)));
            if (used.Count > 0)
            {
                Sources[pointer] = string.Join(" | ", used.Select(XmlPaths.Of));
            }
        }

        public void Text(JsonObject target, string key, string pointer, XElement? source) =>
            Put(target, key, pointer, source, e => Trim(e.Value) is { Length: > 0 } text ? text : null);

        public void Amount(JsonObject target, string key, string pointer, XElement? source) =>
            Put(target, key, pointer, source, e => JsonValue.Create(Decimal(e)));

        public void Date(JsonObject target, string key, string pointer, XElement? source) =>
            Put(target, key, pointer, source, e => IsoDate(e));
    }

    private static decimal Decimal(XElement element)
    {
        var text = Trim(element.Value);
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{XmlPaths.Of(element)} is '{Shorten(text)}', not a number");
    }

    // Format 102 (CCYYMMDD) is the one EN 16931 allows for dates; a month (610) or week (616) is not a date.
    private static string? IsoDate(XElement element)
    {
        var format = (string?)element.Attribute("format") ?? "102";
        if (format != "102")
        {
            return null;
        }
        var text = Trim(element.Value);
        return DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : throw new FormatException($"{XmlPaths.Of(element)} is '{Shorten(text)}', not a date in format 102 (CCYYMMDD)");
    }

    private static string Describe(XElement root) => root.Name.LocalName switch
    {
        "SCRDMCCBDACIOMessageStructure" => "a CII order message (Order-X), not an invoice",
        "Invoice" or "CreditNote" when root.Name.NamespaceName.StartsWith("urn:oasis:names:specification:ubl:", StringComparison.Ordinal) =>
            "a UBL invoice; the embedded-XML route reads CII (ZUGFeRD, Factur-X, XRechnung in CII) only",
        _ => $"XML whose root is '{Shorten(root.Name.LocalName)}'" +
             (root.Name.NamespaceName.Length > 0 ? $" in '{Shorten(root.Name.NamespaceName)}'" : "") + ", not a CII invoice",
    };

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static string Trim(string? text) => text?.Trim() ?? "";

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static string? NoSpaces(string text) => Whitespace().Replace(text, "") is { Length: > 0 } plain ? plain : null;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{11,30}$")]
    private static partial Regex Iban();

    [GeneratedRegex("^[A-Za-z0-9]{8}(?:[A-Za-z0-9]{3})?$")]
    private static partial Regex Bic();
}
