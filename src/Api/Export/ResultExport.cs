using System.Globalization;
using System.Text;
using System.Text.Json;
using DocExtract.Persistence;
using DocExtract.Persistence.Queries;
using DocExtract.Persistence.Results;
using DocExtract.Schemas.Rules;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Export;

/// <summary>Writes the rows of an export as they come from PostgreSQL: NDJSON, or CSV when <c>fields</c> is given.</summary>
public sealed class ResultExport(DocExtractDbContext db, ResultQuery query, IReadOnlyList<string>? fields) : IResult
{
    private static readonly JsonWriterOptions _ndjson = new() { Indented = false };
    private static readonly string[] _fixedColumns = ["document_id", "extraction_id", "file_name", "status", "created_at"];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = fields is null ? $"{ResultsApi.NdjsonType}; charset=utf-8" : $"{ResultsApi.CsvType}; charset=utf-8; header=present";
        if (fields is not null)
        {
            response.Headers.ContentDisposition = $"attachment; filename=\"{query.Schema}-results.csv\"";
        }

        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
        if (fields is not null)
        {
            var header = new StringBuilder();
            CsvCell.AppendRow(header, _fixedColumns.Concat(fields).Append("failed_rules").Select(CsvCell.Text));
            await writer.WriteAsync(header, cancellationToken);
        }

        var line = new StringBuilder();
        var rows = 0;
        await foreach (var row in Rows().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            line.Clear();
            if (fields is null)
            {
                AppendNdjson(line, row);
            }
            else
            {
                AppendCsv(line, row, fields);
            }

            await writer.WriteAsync(line, cancellationToken);
            if (++rows % 100 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    // Only the parts of a result an export carries are read: the page texts stay in the database.
    private IQueryable<ExportRow> Rows()
    {
        // PostgreSQL keeps timestamptz as UTC microseconds; Npgsql takes only offset-0 values for it.
        var since = query.Since?.ToUniversalTime() ?? DateTimeOffset.MinValue;
        var after = query.After ?? (query.Since is null ? Guid.Empty : Guid.AllBitsSet);
        var until = query.Until?.ToUniversalTime() ?? DateTimeOffset.MaxValue;
        var limit = query.Limit ?? int.MaxValue;
        return db.ExportRows(query.Schema, query.TenantId, since, after, until, limit);
    }

    private static void AppendNdjson(StringBuilder line, ExportRow row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, _ndjson))
        {
            json.WriteStartObject();
            json.WriteString("documentId", row.DocumentId);
            json.WriteString("extractionId", row.ExtractionId);
            json.WriteString("fileName", row.FileName);
            json.WriteString("status", row.Status);
            json.WriteString("createdAt", Timestamp(row.CreatedAt));
            json.WritePropertyName("data");
            json.WriteRawValue(row.Data ?? "null");
            json.WritePropertyName("rules");
            json.WriteRawValue(row.Rules ?? "[]");
            json.WriteEndObject();
        }

        line.Append(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).Append('\n');
    }

    private static void AppendCsv(StringBuilder line, ExportRow row, IReadOnlyList<string> fields)
    {
        using var data = JsonDocument.Parse(row.Data ?? "null");
        var rules = JsonSerializer.Deserialize<IReadOnlyList<RuleResult>>(row.Rules ?? "[]", ResultContent.Json) ?? [];
        var cells = new List<string>(fields.Count + 6)
        {
            row.DocumentId.ToString(),
            row.ExtractionId.ToString(),
            CsvCell.Text(row.FileName),
            row.Status,
            Timestamp(row.CreatedAt),
        };
        foreach (var field in fields)
        {
            cells.Add(data.RootElement.ValueKind == JsonValueKind.Object && data.RootElement.TryGetProperty(field, out var value)
                ? CsvCell.Json(value)
                : "");
        }

        var failed = rules.Where(rule => rule.Failed).Select(rule => rule.Name);
        cells.Add(CsvCell.Text(string.Join("; ", failed)));
        CsvCell.AppendRow(line, cells);
    }

    /// <summary>UTC with PostgreSQL's microseconds and a "Z", so the value can go back into since= as it is (no "+"
    /// to percent-encode) and match the stored one exactly.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
