using DocExtract.Api.Audit;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Schemas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Export;

/// <summary>
/// GET /results (issue #6): the results of one document type, oldest first, streamed from PostgreSQL as NDJSON or
/// CSV while they are read, so an export of any size holds one row in memory at a time.
/// </summary>
public static class ResultsApi
{
    public const string NdjsonType = "application/x-ndjson";
    public const string CsvType = "text/csv";

    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/results").WithTags("Results").MapGet("/", ExportAsync).RequireAuthorization(Policies.Export);
        return app;
    }

    public static async Task<Results<ResultExport, ProblemHttpResult>> ExportAsync(
        HttpRequest request, Caller caller, DocumentTypeCatalog catalog, DocExtractDbContext db, AuditLog audit,
        IOptions<ApiOptions> options, CancellationToken cancellationToken,
        string? schema = null, DateTimeOffset? since = null, Guid? after = null, DateTimeOffset? until = null,
        int? limit = null, string? format = null)
    {
        var known = string.Join(", ", (await catalog.ListAsync(caller.TenantId, cancellationToken)).Select(t => t.Schema.Name));
        if (string.IsNullOrWhiteSpace(schema))
        {
            return Problems.BadRequest($"name the document type to export with schema=, one of {known}");
        }

        if ((await catalog.FindAsync(caller.TenantId, schema.Trim().ToLowerInvariant(), version: null, cancellationToken)).Type?.Schema
            is not { } type)
        {
            return Problems.BadRequest($"unknown schema '{schema}': use one of {known}");
        }

        if (after is not null && since is null)
        {
            return Problems.BadRequest("after= continues from a row of the same since= timestamp; give since= too");
        }

        if (limit is not null && (limit < 1 || limit > options.Value.MaxExportRows))
        {
            return Problems.BadRequest($"limit must be between 1 and {options.Value.MaxExportRows}");
        }

        var csv = ChooseCsv(format, request.Headers.Accept.ToString());
        if (csv is null)
        {
            return Problems.NotAcceptable(
                $"results come as {NdjsonType} or {CsvType}: send one of them in Accept, or format=ndjson or format=csv");
        }

        var query = new ResultQuery(caller.TenantId, type.Name, since, after, until, limit);
        // The export is audited when it is asked for (issue #7): who took which type's results, over which window.
        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.Export, documentId: null,
            new { schema = type.Name, since, after, until, limit, format = csv.Value ? "csv" : "ndjson" }), cancellationToken);
        return new ResultExport(db, query, csv.Value ? TopLevelFields(type) : null);
    }

    // format= wins over Accept; without either, NDJSON. null: neither format is acceptable.
    private static bool? ChooseCsv(string? format, string accept)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToLowerInvariant() switch
            {
                "csv" => true,
                "ndjson" or "jsonl" => false,
                _ => null,
            };
        }

        if (string.IsNullOrWhiteSpace(accept))
        {
            return false;
        }

        var types = accept.Split(',').Select(part => part.Split(';')[0].Trim().ToLowerInvariant()).ToList();
        if (types.Contains(CsvType))
        {
            return true;
        }

        return types.Any(t => t is NdjsonType or "application/jsonl" or "application/json" or "application/*" or "*/*") ? false : null;
    }

    private static IReadOnlyList<string> TopLevelFields(DocumentSchema schema) =>
        schema.Root.TryGetProperty("properties", out var properties) && properties.ValueKind == System.Text.Json.JsonValueKind.Object
            ? [.. properties.EnumerateObject().Select(property => property.Name)]
            : [];
}

/// <summary>Which results an export covers: one tenant's of one type, created after (since, after) and before until, oldest first.</summary>
public sealed record ResultQuery(string TenantId, string Schema, DateTimeOffset? Since, Guid? After, DateTimeOffset? Until, int? Limit);
