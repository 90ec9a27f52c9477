namespace DocExtract.Api.Documents;

/// <summary>
/// File names as they are stored and shown (in results, exports, webhooks and Content-Disposition): without control
/// characters and without the invisible format characters that reorder or hide text (issue #15). A name such as
/// "invoice\u202Egpj.exe" (RIGHT-TO-LEFT OVERRIDE) displays as "invoiceexe.jpg"; cleaned it reads "invoicegpj.exe".
/// </summary>
public static class DisplayNames
{
    public static string Clean(string name) => new([.. name.Where(Keeps)]);

    // Format characters (Cf) are the bidi embeddings, overrides, isolates and marks, zero-width spaces, the BOM and
    // invisible operators. Zero-width non-joiner and joiner stay: Persian and Indic names and emoji sequences need them.
    private static bool Keeps(char c) =>
        !char.IsControl(c) &&
        (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format || c is '\u200C' or '\u200D');
}
