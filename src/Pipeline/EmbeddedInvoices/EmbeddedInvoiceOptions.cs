using System.ComponentModel.DataAnnotations;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>The embedded-XML route (issue #12): e-invoices read from their XML attachment instead of by the model.</summary>
public sealed class EmbeddedInvoiceOptions
{
    public const string Section = "EmbeddedInvoices";

    /// <summary>Whether documents asked for as <c>auto</c> or <c>invoice</c> are first searched for an invoice XML attachment.</summary>
    public bool Enabled { get; set; } = true;

    public string PdfdetachPath { get; set; } = "pdfdetach";

    /// <summary>An attachment larger than this is not read (its note names the setting). XRechnung files that
    /// carry their receipts as base64 PDFs reach 1 MB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>XML nested deeper than this is refused as hostile; real CII invoices nest about 10 levels.</summary>
    [Range(1, int.MaxValue)]
    public int MaxXmlDepth { get; set; } = 64;

    /// <summary>At most this many XML attachments of one PDF are tried, in the order listed.</summary>
    [Range(0, int.MaxValue)]
    public int MaxXmlAttachments { get; set; } = 4;

    /// <summary>
    /// The values a visible invoice page always prints. Each one the pages do not show is a contradiction between
    /// the attachment and the page, and sends the document to review naming both (the attachment's value and the
    /// nearest value the page does print). JSON Pointers into the invoice type, comma-separated (one string, because
    /// configuration binding appends to a list's defaults instead of replacing them); empty turns the check off.
    /// </summary>
    public string PageMustShow { get; set; } = "/invoice_number,/issue_date,/total";

    internal IEnumerable<string> PageMustShowPointers =>
        PageMustShow.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
