using System.Security.Cryptography;
using System.Text.Json;
using DocExtract.Persistence.Entities;
using DocExtract.Schemas;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests.Review;

/// <summary>
/// A two-page invoice waiting for review, written as the worker writes it (document, extraction, result with fields,
/// evidence boxes, reasons and rule outcomes) without running a model, so the browser tests stay fast.
/// </summary>
internal static class ReviewSeed
{
    /// <summary>
    /// Where the seeded evidence box of /total lies on page 1, as fractions of the page (top-left origin): around
    /// "Total: 54.00 EUR", the eighth line (baseline 692 pt of 842, from x 50 pt of 595; TestPdfs writes 11 pt type, 14 pt apart).
    /// </summary>
    public static readonly (double X0, double Y0, double X1, double Y1) TotalBox = (0.08, 0.165, 0.25, 0.185);

    public static async Task<Document> NeedsReviewAsync(ApiFixture api, string tenant = Persistence.Tenancy.Tenants.Default,
        string marker = "R-1", DateTimeOffset? createdAt = null)
    {
        var pdf = TestPdfs.WithPages(
            $"INVOICE {marker}\nSeller: Acme Supplies Ltd\nBuyer: Jones & Partners LLP\nDate: 2026-03-02\n" +
            "Item: Paper A4, 10 x 4.50 EUR = 45.00 EUR\nSubtotal: 45.00 EUR\nVAT 20%: 9.00 EUR\nTotal: 54.00 EUR",
            "Page two: terms and conditions");
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        var invoice = (await api.Services.GetRequiredService<SchemaCatalog>().FindAsync("invoice"))!;
        var now = createdAt ?? DateTimeOffset.UtcNow;
        var document = new Document
        {
            Id = Guid.NewGuid(), TenantId = tenant, FileSha256 = sha, FileName = $"invoice-{marker}.pdf", SizeBytes = pdf.Length,
            RequestedSchema = "invoice", Status = DocumentStatus.NeedsReview, PageCount = 2, CurrentExtractionId = Guid.NewGuid(),
            CallbackUrl = "http://127.0.0.1:9/docextract-hook", CreatedAt = now, UpdatedAt = now, CompletedAt = now,
        };
        var content = $$"""
            {
              "documentId": "{{document.Id}}", "extractionId": "{{document.CurrentExtractionId}}", "requestedSchema": "invoice",
              "schema": "invoice", "schemaVersion": "{{invoice.Version}}", "pageCount": 2,
              "pages": [ { "number": 1, "text": "INVOICE {{marker}} ... Total: 54.00 EUR", "source": "text-layer" },
                         { "number": 2, "text": "Page two: terms and conditions", "source": "text-layer" } ],
              "data": {{Data}},
              "rules": [ { "name": "lines-add-up", "kind": "sum", "outcome": "pass", "reason": null, "values": {} },
                         { "name": "total-is-subtotal-plus-tax", "kind": "sum", "outcome": "fail", "reason": "45.00 + 9.00 is 54.00, not 45.00", "values": {} } ],
              "fields": [
                { "pointer": "/invoice_number", "value": "{{marker}}", "confidence": 0.98,
                  "evidence": { "page": 1, "start": 8, "end": 11, "quote": "{{marker}}" }, "unsupported": false },
                { "pointer": "/total", "value": 45.0, "confidence": 0.31,
                  "evidence": { "page": 1, "start": 30, "end": 35, "quote": "54.00",
                    "boxes": [ { "page": 1, "x0": {{TotalBox.X0}}, "y0": {{TotalBox.Y0}}, "x1": {{TotalBox.X1}}, "y1": {{TotalBox.Y1}} } ] },
                  "unsupported": false },
                { "pointer": "/line_items/0/description", "value": "Paper A4", "confidence": 0.72, "evidence": null, "unsupported": true }
              ],
              "confidence": { "mean": 0.67 },
              "review": { "needed": true, "reasons": [
                { "kind": "low-confidence", "pointer": "/total", "detail": "the model's confidence in /total is 0.31, below Llm:ReviewConfidence 0.5" },
                { "kind": "failed-rule", "pointer": null, "detail": "total-is-subtotal-plus-tax: 45.00 + 9.00 is 54.00, not 45.00" } ] },
              "windows": null
            }
            """;
        await using var db = api.Database.CreateContext();
        if (!db.Files.Any(f => f.Sha256 == sha))
        {
            db.Files.Add(new StoredFile { Sha256 = sha, Content = pdf, SizeBytes = pdf.Length, CreatedAt = now });
        }
        db.Documents.Add(document);
        db.Extractions.Add(new Extraction
        {
            Id = document.CurrentExtractionId, DocumentId = document.Id, RequestedSchema = "invoice", SchemaName = "invoice",
            SchemaVersion = invoice.Version, Status = DocumentStatus.NeedsReview, CreatedAt = now, CompletedAt = now,
        });
        db.Results.Add(new ExtractionResult
        {
            Id = document.CurrentExtractionId, DocumentId = document.Id, SchemaName = "invoice", Content = JsonDocument.Parse(content), CreatedAt = now,
        });
        await db.SaveChangesAsync();
        return document;
    }

    /// <summary>The model's data: valid against the invoice type, with a wrong total (45.00 where the page says 54.00).</summary>
    public const string Data = """
        { "invoice_number": "R-1", "invoice_type": "invoice", "issue_date": "2026-03-02", "due_date": null,
          "service_period_start": null, "service_period_end": null,
          "seller": { "name": "Acme Supplies Ltd", "address": null, "vat_id": null, "tax_number": null },
          "buyer": { "name": "Jones & Partners LLP", "address": null, "vat_id": null, "tax_number": null },
          "purchase_order_number": null, "currency": "EUR",
          "line_items": [ { "description": "Paper A4", "quantity": 10, "unit": null, "unit_price": 4.5, "tax_rate": 20, "amount": 45.0 },
                          { "description": "Stapler", "quantity": 1, "unit": null, "unit_price": 0, "tax_rate": 20, "amount": 0 } ],
          "subtotal": 45.0, "tax_amount": 9.0, "total": 45.0, "payment_terms": null, "iban": null, "bic": null, "payment_reference": null }
        """;
}
