using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using Microsoft.Extensions.Options;

namespace DocExtract.Pipeline.EmbeddedInvoices;

/// <summary>The route's outcome: the invoice's data when an attachment held one, and the report (null when the route did not run).</summary>
public sealed record EmbeddedInvoiceOutcome(StructuredData? Data, EmbeddedInvoiceReport? Report)
{
    public static EmbeddedInvoiceOutcome NotTried { get; } = new(null, null);
}

/// <summary>
/// The embedded-XML route (issue #12): a document asked for as <c>auto</c> or <c>invoice</c> whose PDF carries a CII or UBL
/// invoice (ZUGFeRD, Factur-X, XRechnung) as an attachment is an invoice read from that XML, at zero tokens. Each
/// value's evidence is its XML path and its place on the visible page; the values every invoice page prints are held
/// against the page (<see cref="PageCheck"/>). An attachment that is not an invoice, is malformed, or does not fit the
/// type is ignored with a note, and the document goes to the model as before.
/// </summary>
public sealed partial class EmbeddedInvoiceRoute(
    PdfAttachments attachments, SchemaCatalog catalog, IOptions<EmbeddedInvoiceOptions> options, ILogger<EmbeddedInvoiceRoute> logger)
{
    public const string Route = "embedded-xml";
    public const string InvoiceType = "invoice";

    private const string Formula = "1: every value is read from the invoice's XML attachment, not generated";

    /// <param name="requested">The type the document was asked for; null for <c>auto</c>.</param>
    public async Task<EmbeddedInvoiceOutcome> ReadAsync(
        string pdfPath, ExtractedText text, DocumentSchema? requested, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || requested is not null && requested.Name != InvoiceType)
        {
            return EmbeddedInvoiceOutcome.NotTried;
        }
        var clock = Stopwatch.StartNew();
        var notes = new List<string>();
        EmbeddedInvoiceOutcome Fallback(IReadOnlyList<string> names) =>
            new(null, new EmbeddedInvoiceReport(names, null, null, null, notes, clock.Elapsed.TotalMilliseconds));

        var (files, problem) = await attachments.ListAsync(pdfPath, cancellationToken);
        if (files is null)
        {
            notes.Add($"the attachments could not be listed ({problem}); the document went to the model");
            return Fallback([]);
        }
        var names = files.Select(f => f.Name).ToList();
        var candidates = files.Where(f => f.Name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 0)
        {
            return Fallback(names);
        }
        var type = requested ?? await catalog.FindAsync(InvoiceType, cancellationToken);
        if (type is null)
        {
            notes.Add($"the built-in type '{InvoiceType}' is not defined (schemas/invoice.json), so its XML attachment was not read");
            return Fallback(names);
        }
        foreach (var file in candidates.Take(settings.MaxXmlAttachments))
        {
            if (await TryReadAsync(pdfPath, file, type, text, notes, cancellationToken) is { } read)
            {
                return new EmbeddedInvoiceOutcome(read.Data, new EmbeddedInvoiceReport(
                    names, file.Name, read.Invoice.Syntax, read.Invoice.Profile, notes, clock.Elapsed.TotalMilliseconds));
            }
        }
        if (candidates.Count > settings.MaxXmlAttachments)
        {
            notes.Add($"{candidates.Count - settings.MaxXmlAttachments} more XML attachment(s) were not tried (EmbeddedInvoices:MaxXmlAttachments {settings.MaxXmlAttachments})");
        }
        return Fallback(names);
    }

    private async Task<(StructuredData Data, EmbeddedInvoice Invoice)?> TryReadAsync(
        string pdfPath, PdfAttachment file, DocumentSchema type, ExtractedText text, List<string> notes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            var (bytes, problem) = await attachments.ReadAsync(pdfPath, file, cancellationToken);
            if (bytes is null)
            {
                notes.Add($"{file.Name}: could not be extracted ({problem}); ignored");
                return null;
            }
            var invoice = InvoiceXml.Read(SafeXml.Load(bytes, settings.MaxAttachmentBytes, settings.MaxXmlDepth));
            var json = invoice.Data.ToJsonString();
            if (type.Validator.Validate(json) is { Count: > 0 } errors)
            {
                notes.Add($"{file.Name}: a {invoice.Syntax} invoice whose values do not fit the type '{type.Name}' ({string.Join("; ", errors.Take(3))}); ignored");
                return null;
            }
            notes.AddRange(invoice.Notes.Select(note => $"{file.Name}: {note}"));
            LogRead(logger, file.Name, invoice.Syntax, invoice.Profile);
            return (Build(json, invoice, file, bytes.Length, type, text), invoice);
        }
        catch (ToolOutputTooLargeException)
        {
            notes.Add($"{file.Name}: larger than {settings.MaxAttachmentBytes} bytes (EmbeddedInvoices:MaxAttachmentBytes); ignored");
        }
        catch (PermanentExtractionException e)
        {
            notes.Add($"{file.Name}: could not be extracted ({e.Message}); ignored");
        }
        catch (XmlException e)
        {
            notes.Add($"{file.Name}: not XML that may be read ({e.Message}); ignored");
        }
        catch (NotAnInvoiceException e)
        {
            notes.Add($"{file.Name}: {e.Message}; ignored");
        }
        catch (FormatException e)
        {
            notes.Add($"{file.Name}: a malformed invoice ({e.Message}); ignored");
        }
        return null;
    }

    private StructuredData Build(string json, EmbeddedInvoice invoice, PdfAttachment file, int size, DocumentSchema type, ExtractedText text)
    {
        using var parsed = JsonDocument.Parse(json);
        var data = parsed.RootElement.Clone();
        IReadOnlyList<FieldTrust> fields = [.. FieldConfidence.LeafSpans(Encoding.UTF8.GetBytes(json)).Select(leaf =>
        {
            var value = FieldConfidence.Resolve(data, leaf.Pointer);
            var evidence = EvidenceFinder.NeedsEvidence(value) ? EvidenceFinder.Find(value, text.Pages) : null;
            // Not "unsupported" without evidence: a value read from the XML is not invented, and PageCheck decides
            // which values the page must show.
            return new FieldTrust(leaf.Pointer, value, 1, evidence, Unsupported: false)
            {
                Source = new FieldSource(Route, file.Name, invoice.Sources.GetValueOrDefault(leaf.Pointer)),
            };
        })];
        var details = new JsonObject
        {
            ["route"] = Route,
            ["attachment"] = new JsonObject
            {
                ["name"] = file.Name,
                ["bytes"] = size,
                ["syntax"] = invoice.Syntax,
                ["profile"] = invoice.Profile,
                ["typeCode"] = invoice.TypeCode,
            },
            ["schema"] = new JsonObject { ["name"] = type.Name, ["version"] = type.Version },
            ["tokens"] = new JsonObject { ["prompt"] = 0, ["promptEvaluated"] = 0, ["promptReused"] = 0, ["generated"] = 0 },
        };
        return new StructuredData(type.Name, data, LlmExtraction.ExtractedState, null, details)
        {
            SchemaVersion = type.Version,
            Fields = fields,
            Route = Route,
            ConfidenceFormula = Formula,
            Contradictions = PageCheck.Run(fields, text.Pages, file.Name, options.Value.PageMustShowPointers),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read the invoice from its attachment {Attachment} ({Syntax}, profile {Profile}): no model needed")]
    private static partial void LogRead(ILogger logger, string attachment, string syntax, string? profile);
}
