using System.Text.Json.Nodes;
using System.Xml.Linq;
using static DocExtract.Pipeline.EmbeddedInvoices.XmlMapping;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Maps UN/CEFACT Cross Industry Invoice XML onto the <c>invoice</c> type (issue #12): ZUGFeRD 2.x, Factur-X and
/// XRechnung in CII (root <c>rsm:CrossIndustryInvoice</c>, D16B), and ZUGFeRD 1.0 (<c>rsm:CrossIndustryDocument</c>),
/// whose elements have older names. Elements are matched by local name below a root of a known namespace, values
/// are taken as written (amounts as exact decimals), and a malformed amount or date is a <see cref="FormatException"/>
/// rather than a guess. Business terms follow EN 16931 (BT numbers in the comments).
/// </summary>
public static class CiiInvoiceReader
{
    // The element names that differ between CII D16B and ZUGFeRD 1.0.
    private sealed record Dialect(
        string Syntax, string Context, string Header, string Transaction, string Agreement, string Delivery, string Settlement,
        string Summation, string LineAgreement, string LineDelivery, string LineSettlement, string LineSummation, string Percent,
        string OrderId);

    private static readonly string[] _addressLines = ["LineOne", "LineTwo", "LineThree"];
    private static readonly Dialect _cii = new("CII", "ExchangedDocumentContext", "ExchangedDocument", "SupplyChainTradeTransaction",
        "ApplicableHeaderTradeAgreement", "ApplicableHeaderTradeDelivery", "ApplicableHeaderTradeSettlement",
        "SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedLineTradeAgreement", "SpecifiedLineTradeDelivery",
        "SpecifiedLineTradeSettlement", "SpecifiedTradeSettlementLineMonetarySummation", "RateApplicablePercent", "IssuerAssignedID");

    private static readonly Dialect _zugferdOne = new("ZUGFeRD 1.0", "SpecifiedExchangedDocumentContext", "HeaderExchangedDocument",
        "SpecifiedSupplyChainTradeTransaction", "ApplicableSupplyChainTradeAgreement", "ApplicableSupplyChainTradeDelivery",
        "ApplicableSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation", "SpecifiedSupplyChainTradeAgreement",
        "SpecifiedSupplyChainTradeDelivery", "SpecifiedSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation",
        "ApplicablePercent", "ID");

    public const string Namespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    public const string ZugferdOneNamespace = "urn:ferd:CrossIndustryDocument:invoice:1p0";

    /// <summary>Reads a <c>CrossIndustryInvoice</c> or, with <paramref name="zugferdOne"/>, a ZUGFeRD 1.0 <c>CrossIndustryDocument</c>.</summary>
    public static EmbeddedInvoice Read(XElement root, bool zugferdOne)
    {
        var dialect = zugferdOne ? _zugferdOne : _cii;
        var map = new XmlMapping();
        var data = new JsonObject();
        var header = Child(root, dialect.Header);
        var transaction = Child(root, dialect.Transaction);
        var agreement = Child(transaction, dialect.Agreement);
        var settlement = Child(transaction, dialect.Settlement);
        var summation = Child(settlement, dialect.Summation);
        var typeCode = Child(header, "TypeCode");

        map.Text(data, "invoice_number", "/invoice_number", Child(header, "ID"));                                  // BT-1
        map.Put(data, "invoice_type", "/invoice_type", typeCode, e => InvoiceXml.KindOf(e.Value));
        map.Date102(data, "issue_date", "/issue_date", Child(Child(header, "IssueDateTime"), "DateTimeString"));   // BT-2
        var dueDate = Children(settlement, "SpecifiedTradePaymentTerms")
            .Select(terms => Child(Child(terms, "DueDateDateTime"), "DateTimeString")).FirstOrDefault(d => d is not null);
        map.Date102(data, "due_date", "/due_date", dueDate);                                                        // BT-9
        var period = Child(settlement, "BillingSpecifiedPeriod");
        var delivered = Child(Child(Child(Child(transaction, dialect.Delivery), "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime"), "DateTimeString");
        map.Date102(data, "service_period_start", "/service_period_start", Child(Child(period, "StartDateTime"), "DateTimeString") ?? delivered); // BT-73, BT-72
        map.Date102(data, "service_period_end", "/service_period_end", Child(Child(period, "EndDateTime"), "DateTimeString") ?? delivered);     // BT-74
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
            e => map.Iban("/iban", e));                                                                         // BT-84
        map.Put(data, "bic", "/bic", means.Select(m => Child(Child(m, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID")).FirstOrDefault(i => i is not null),
            e => map.Bic("/bic", e));                                                                           // BT-86
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

    private static JsonObject? Party(XmlMapping map, XElement? party, string pointer)
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
            var lines = _addressLines.Select(n => Child(address, n)).OfType<XElement>().ToList();
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

    private static JsonArray LineItems(XmlMapping map, Dialect dialect, XElement? transaction)
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

    private static JsonArray TaxBreakdown(XmlMapping map, Dialect dialect, XElement? settlement)
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
}
