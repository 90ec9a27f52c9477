using DocExtract.Api.Documents;
using DocExtract.Persistence;
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
        app.MapGroup("/results").WithTags("Results").MapGet("/", ExportAsync);
        return app;
    }

    public static async Task<Results<ResultExport, ProblemHttpResult>> ExportAsync(
        HttpRequest request, SchemaCatalog catalog, DocExtractDbContext db, IOptions<ApiOptions> options,
        CancellationToken cancellationToken,
        string? schema = null, DateTimeOffset? since = null, Guid? after = null, DateTimeOffset? until = null,
        int? limit = null, string? format = null)
    {
        var types = await catalog.GetSnapshotAsync(cancellationToken);
        var known = string.Join(", ", types.Schemas.Select(s => s.Name));
        if (string.IsNullOrWhiteSpace(schema))
        {
            return Problems.BadRequest($"name the document type to export with schema=, one of {known}");
        }

        if (types.Find(schema.Trim().ToLowerInvariant()) is not { } type)
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

        var query = new ResultQuery(type.Name, since, after, until, limit);
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

/// <summary>Which results an export covers: one type, created after (since, after) and before until, oldest first.</summary>
public sealed record ResultQuery(string Schema, DateTimeOffset? Since, Guid? After, DateTimeOffset? Until, int? Limit);
