using System.Text.Json.Nodes;
using System.Xml.Linq;
using static DocExtract.Pipeline.EmbeddedInvoices.XmlMapping;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>An invoice read from its XML: the <c>invoice</c> type's JSON, and the XML path each value came from.</summary>
/// <param name="Notes">Values left null because the type cannot hold them as written (a BIC of the wrong length).</param>
public sealed record EmbeddedInvoice(
    string Syntax, string? Profile, string? TypeCode, JsonObject Data, IReadOnlyDictionary<string, string> Sources, IReadOnlyList<string> Notes);

/// <summary>The XML is well-formed but not an invoice the readers know (an Order-X order, anything else).</summary>
public sealed class NotAnInvoiceException(string reason) : Exception(reason);

/// <summary>Tells which invoice syntax an XML document is in and hands it to its reader (#12).</summary>
public static class InvoiceXml
{
    // UNTDID 1001 codes of invoices and credit notes, as the invoice type's kinds.
    private static readonly Dictionary<string, string> _kinds = new(StringComparer.Ordinal)
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
        return (root.Name.NamespaceName, root.Name.LocalName) switch
        {
            (CiiInvoiceReader.Namespace, "CrossIndustryInvoice") => CiiInvoiceReader.Read(root, zugferdOne: false),
            (CiiInvoiceReader.ZugferdOneNamespace, "CrossIndustryDocument") => CiiInvoiceReader.Read(root, zugferdOne: true),
            (UblInvoiceReader.InvoiceNamespace, "Invoice") or (UblInvoiceReader.CreditNoteNamespace, "CreditNote") => UblInvoiceReader.Read(root),
            _ => throw new NotAnInvoiceException(Describe(root)),
        };
    }

    /// <summary>The invoice type's kind of a UNTDID 1001 document type code; null for a code it has no kind for.</summary>
    public static string? KindOf(string code) => _kinds.GetValueOrDefault(code.Trim());

    private static string Describe(XElement root) => root.Name.LocalName switch
    {
        "SCRDMCCBDACIOMessageStructure" => "a CII order message (Order-X), not an invoice",
        _ => $"XML whose root is '{Shorten(root.Name.LocalName)}'" +
             (root.Name.NamespaceName.Length > 0 ? $" in '{Shorten(root.Name.NamespaceName)}'" : "") + ", not a CII or UBL invoice",
    };
}
