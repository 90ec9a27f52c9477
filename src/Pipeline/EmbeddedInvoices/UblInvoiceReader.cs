using System.Text.Json.Nodes;
using System.Xml.Linq;
using static DocExtract.Pipeline.EmbeddedInvoices.XmlMapping;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>
/// Maps OASIS UBL 2.1 <c>Invoice</c> and <c>CreditNote</c> (XRechnung and Peppol BIS in UBL) onto the <c>invoice</c>
/// type (issue #12), by the EN 16931 business terms as the UBL binding places them (BT numbers in the comments).
/// </summary>
public static class UblInvoiceReader
{
    public const string InvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    public const string CreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    public static EmbeddedInvoice Read(XElement root)
    {
        var credit = root.Name.LocalName == "CreditNote";
        var map = new XmlMapping();
        var data = new JsonObject();
        var typeCode = Child(root, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode");
        var currency = Child(root, "DocumentCurrencyCode");
        var means = Children(root, "PaymentMeans").ToList();
        var totals = Child(root, "LegalMonetaryTotal");
        var period = Child(root, "InvoicePeriod");
        var delivered = Child(Child(root, "Delivery"), "ActualDeliveryDate");
        // BT-110 is the TaxTotal in the document currency; a second one (BT-111) is in the tax currency.
        var taxTotals = Children(root, "TaxTotal").ToList();
        var taxTotal = taxTotals.FirstOrDefault(t => (string?)Child(t, "TaxAmount")?.Attribute("currencyID") == Trim(currency?.Value)) ?? taxTotals.FirstOrDefault();

        map.Text(data, "invoice_number", "/invoice_number", Child(root, "ID"));                                  // BT-1
        map.Put(data, "invoice_type", "/invoice_type", typeCode, e => InvoiceXml.KindOf(e.Value));               // BT-3
        map.DateIso(data, "issue_date", "/issue_date", Child(root, "IssueDate"));                                 // BT-2
        map.DateIso(data, "due_date", "/due_date", Child(root, "DueDate") ?? means.Select(m => Child(m, "PaymentDueDate")).FirstOrDefault(d => d is not null)); // BT-9
        map.DateIso(data, "service_period_start", "/service_period_start", Child(period, "StartDate") ?? delivered); // BT-73, BT-72
        map.DateIso(data, "service_period_end", "/service_period_end", Child(period, "EndDate") ?? delivered);       // BT-74
        data["seller"] = Party(map, Child(Child(root, "AccountingSupplierParty"), "Party"), "/seller");           // BG-4
        data["buyer"] = Party(map, Child(Child(root, "AccountingCustomerParty"), "Party"), "/buyer");             // BG-7
        map.Text(data, "purchase_order_number", "/purchase_order_number", Child(Child(root, "OrderReference"), "ID")); // BT-13
        map.Text(data, "currency", "/currency", currency);                                                         // BT-5
        data["line_items"] = LineItems(map, root, credit);                                                         // BG-25
        map.Amount(data, "subtotal", "/subtotal", Child(totals, "TaxExclusiveAmount"));                           // BT-109
        map.Amount(data, "tax_amount", "/tax_amount", Child(taxTotal, "TaxAmount"));                               // BT-110
        map.Amount(data, "total", "/total", Child(totals, "TaxInclusiveAmount"));                                 // BT-112
        map.Joined(data, "payment_terms", "/payment_terms", [.. Children(root, "PaymentTerms").Select(t => Child(t, "Note")).OfType<XElement>()], " "); // BT-20
        map.Put(data, "iban", "/iban", means.Select(m => Child(Child(m, "PayeeFinancialAccount"), "ID")).FirstOrDefault(i => i is not null),
            e => map.Iban("/iban", e));                                                                            // BT-84
        map.Put(data, "bic", "/bic", means.Select(m => Child(Child(Child(m, "PayeeFinancialAccount"), "FinancialInstitutionBranch"), "ID")).FirstOrDefault(i => i is not null),
            e => map.Bic("/bic", e));                                                                              // BT-86
        map.Text(data, "payment_reference", "/payment_reference", means.Select(m => Child(m, "PaymentID")).FirstOrDefault(i => i is not null)); // BT-83
        map.Text(data, "document_type_code", "/document_type_code", typeCode);
        map.Amount(data, "line_total", "/line_total", Child(totals, "LineExtensionAmount"));                      // BT-106
        map.Amount(data, "allowance_total", "/allowance_total", Child(totals, "AllowanceTotalAmount"));            // BT-107
        map.Amount(data, "charge_total", "/charge_total", Child(totals, "ChargeTotalAmount"));                    // BT-108
        data["tax_breakdown"] = TaxBreakdown(map, taxTotal);                                                       // BG-23
        map.Amount(data, "prepaid_amount", "/prepaid_amount", Child(totals, "PrepaidAmount"));                    // BT-113
        map.Amount(data, "amount_due", "/amount_due", Child(totals, "PayableAmount"));                            // BT-115

        var profile = Child(root, "CustomizationID");
        return new EmbeddedInvoice("UBL", profile is null ? null : Trim(profile.Value), typeCode is null ? null : Trim(typeCode.Value),
            data, map.Sources, map.Notes);
    }

    private static JsonObject? Party(XmlMapping map, XElement? party, string pointer)
    {
        if (party is null)
        {
            return null;
        }
        var json = new JsonObject();
        // BT-27/BT-44 is the legal name; a trading name (BT-28/BT-45) stands in where it is missing.
        map.Put(json, "name", pointer + "/name",
            Child(Child(party, "PartyLegalEntity"), "RegistrationName") ?? Child(Child(party, "PartyName"), "Name"), e => Collapse(e.Value));
        json["name"] ??= "";
        var address = Child(party, "PostalAddress");
        if (address is null)
        {
            json["address"] = null;
        }
        else
        {
            var postal = new JsonObject();
            List<XElement> lines = [.. new[] { Child(address, "StreetName"), Child(address, "AdditionalStreetName"), Child(Child(address, "AddressLine"), "Line") }.OfType<XElement>()];
            map.Joined(postal, "street", pointer + "/address/street", lines, ", ");
            map.Text(postal, "postal_code", pointer + "/address/postal_code", Child(address, "PostalZone"));
            map.Text(postal, "city", pointer + "/address/city", Child(address, "CityName"));
            map.Text(postal, "country", pointer + "/address/country", Child(Child(address, "Country"), "IdentificationCode"));
            json["address"] = postal;
        }
        // A VAT id is the company id of the tax scheme VAT (BT-31, BT-48); another scheme's is a tax number (BT-32).
        var schemes = Children(party, "PartyTaxScheme").ToList();
        bool IsVat(XElement scheme) => Trim(Child(Child(scheme, "TaxScheme"), "ID")?.Value) == "VAT";
        map.Put(json, "vat_id", pointer + "/vat_id", schemes.Where(IsVat).Select(s => Child(s, "CompanyID")).FirstOrDefault(), e => NoSpaces(e.Value));
        map.Text(json, "tax_number", pointer + "/tax_number", schemes.Where(s => !IsVat(s)).Select(s => Child(s, "CompanyID")).FirstOrDefault());
        return json;
    }

    private static JsonArray LineItems(XmlMapping map, XElement root, bool credit)
    {
        var items = new JsonArray();
        foreach (var (line, index) in Children(root, credit ? "CreditNoteLine" : "InvoiceLine").Select((l, i) => (l, i)))
        {
            var pointer = $"/line_items/{index}";
            var item = new JsonObject();
            var quantity = Child(line, credit ? "CreditedQuantity" : "InvoicedQuantity");
            var itemElement = Child(line, "Item");
            var price = Child(line, "Price");
            map.Put(item, "description", pointer + "/description", Child(itemElement, "Name"), e => Collapse(e.Value)); // BT-153
            item["description"] ??= "";
            map.Amount(item, "quantity", pointer + "/quantity", quantity);                                       // BT-129
            map.Put(item, "unit", pointer + "/unit", quantity?.Attribute("unitCode"), a => Trim(a.Value));      // BT-130
            map.Amount(item, "unit_price", pointer + "/unit_price", Child(price, "PriceAmount"));               // BT-146
            map.Amount(item, "price_basis_quantity", pointer + "/price_basis_quantity", Child(price, "BaseQuantity")); // BT-149
            map.Amount(item, "tax_rate", pointer + "/tax_rate", Child(Child(itemElement, "ClassifiedTaxCategory"), "Percent")); // BT-152
            map.Amount(item, "amount", pointer + "/amount", Child(line, "LineExtensionAmount"));                // BT-131
            items.Add(item);
        }
        return items;
    }

    private static JsonArray TaxBreakdown(XmlMapping map, XElement? taxTotal)
    {
        var rows = new JsonArray();
        foreach (var (subtotal, index) in Children(taxTotal, "TaxSubtotal").Select((t, i) => (t, i)))
        {
            var pointer = $"/tax_breakdown/{index}";
            var row = new JsonObject();
            var category = Child(subtotal, "TaxCategory");
            map.Text(row, "category_code", pointer + "/category_code", Child(category, "ID"));                  // BT-118
            map.Amount(row, "rate", pointer + "/rate", Child(category, "Percent"));                              // BT-119
            map.Amount(row, "basis", pointer + "/basis", Child(subtotal, "TaxableAmount"));                      // BT-116
            map.Amount(row, "amount", pointer + "/amount", Child(subtotal, "TaxAmount"));                        // BT-117
            rows.Add(row);
        }
        return rows;
    }
}
