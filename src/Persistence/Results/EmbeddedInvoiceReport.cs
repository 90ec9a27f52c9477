namespace DocExtract.Persistence.Results;

/// <summary>What the route found in a document's attachments, stored with the result whether it was used or not.</summary>
/// <param name="Attachments">Every embedded file's name, as pdfdetach lists them.</param>
/// <param name="Used">The XML attachment the data was read from; null when the document went to the model.</param>
/// <param name="Notes">Why each XML attachment tried was ignored (not an invoice, malformed, too large, ...).</param>
public sealed record EmbeddedInvoiceReport(
    IReadOnlyList<string> Attachments, string? Used, string? Syntax, string? Profile, IReadOnlyList<string> Notes, double ElapsedMs);
