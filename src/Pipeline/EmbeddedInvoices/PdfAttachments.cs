using System.Globalization;
using System.Text;
using DocExtract.Pipeline.TextExtraction;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>One file embedded in a PDF, as <c>pdfdetach -list</c> numbers and names it.</summary>
public sealed record PdfAttachment(int Number, string Name);

/// <summary>
/// Lists and reads a PDF's embedded files with poppler's pdfdetach (issue #12), under the same contained runs as the
/// text tools (<see cref="ToolRunner"/>: prlimit, no network, a timeout, an output cap). An attachment is written to
/// the tool's stdout (<c>-o /dev/stdout</c>), so the cap bounds it and nothing lands on disk.
/// </summary>
public sealed class PdfAttachments(ToolRunner tools, IOptions<TextExtractionOptions> text, IOptions<EmbeddedInvoiceOptions> options)
{
    private ToolLimits Limits => new(text.Value.ToolTimeout, text.Value.ToolMemoryBytes, options.Value.MaxAttachmentBytes);

    /// <summary>The embedded files, or null with the reason when pdfdetach cannot read the PDF's list.</summary>
    public async Task<(IReadOnlyList<PdfAttachment>? Files, string? Problem)> ListAsync(string pdfPath, CancellationToken cancellationToken)
    {
        var run = await tools.RunAsync(options.Value.PdfdetachPath, ["-enc", "UTF-8", "-list", pdfPath], Limits, cancellationToken);
        if (run.ExitCode != 0)
        {
            return (null, PopplerErrors.Summarise("pdfdetach", run));
        }
        return (Parse(Encoding.UTF8.GetString(run.Stdout)), null);
    }

    /// <summary>The bytes of one embedded file; a file over EmbeddedInvoices:MaxAttachmentBytes throws <see cref="ToolOutputTooLargeException"/>.</summary>
    public async Task<(byte[]? Bytes, string? Problem)> ReadAsync(string pdfPath, PdfAttachment file, CancellationToken cancellationToken)
    {
        var run = await tools.RunAsync(options.Value.PdfdetachPath,
            ["-save", file.Number.ToString(CultureInfo.InvariantCulture), "-o", "/dev/stdout", pdfPath], Limits, cancellationToken);
        return run.ExitCode == 0 ? (run.Stdout, null) : (null, PopplerErrors.Summarise("pdfdetach", run));
    }

    // "2 embedded files" then one "N: name" line per file.
    internal static IReadOnlyList<PdfAttachment> Parse(string listing)
    {
        var files = new List<PdfAttachment>();
        foreach (var line in listing.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                files.Add(new PdfAttachment(number, line[(colon + 2)..].TrimEnd('\r')));
            }
        }
        return files;
    }
}
