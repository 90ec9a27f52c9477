using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using DocExtract.Schemas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.DocumentTypes;

/// <summary>
/// The document types (#6): the built-in ones of the schema folder and each tenant's custom ones, stored in
/// PostgreSQL by PUT with every version kept. A version is the SHA-256 of the schema's bytes, for both kinds.
/// </summary>
public static class SchemasApi
{
    public static IEndpointRouteBuilder MapSchemasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/schemas").WithTags("Schemas");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Read);
        group.MapGet("/{name}", GetAsync).RequireAuthorization(Policies.Read);
        group.MapPut("/{name}", PutAsync).DisableAntiforgery().RequireAuthorization(Policies.Admin);
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Policies.Admin);
        return app;
    }

    public static async Task<Ok<SchemaList>> ListAsync(
        Caller caller, DocumentTypeCatalog types, SchemaCatalog files, CancellationToken cancellationToken)
    {
        var tenant = caller.TenantId;
        var list = await types.ListAsync(tenant, cancellationToken);
        var broken = (await files.GetSnapshotAsync(cancellationToken)).Errors;
        return TypedResults.Ok(new SchemaList(
            [.. list.Select(SchemaSummary.From)],
            [.. broken.Select(error => new SchemaFileProblem(error.FileName, error.Reason))]));
    }

    public static async Task<Results<Ok<SchemaDetail>, ProblemHttpResult>> GetAsync(
        string name, Caller caller, DocumentTypeCatalog types, CancellationToken cancellationToken, string? version = null)
    {
        var tenant = caller.TenantId;
        var found = await types.FindAsync(tenant, name, version, cancellationToken);
        if (found.Type is not { } type)
        {
            return SchemaProblems.NotFound(found.Problem!);
        }
        var history = await types.HistoryAsync(tenant, type, cancellationToken);
        return TypedResults.Ok(SchemaDetail.From(type, history));
    }

    /// <summary>
    /// Stores a new version of a custom type, unless the latest version already has these exact bytes. The body
    /// is read raw, not bound, because the version is the hash of the bytes as sent.
    /// </summary>
    public static async Task<Results<Created<SchemaDetail>, Ok<SchemaDetail>, ProblemHttpResult>> PutAsync(
        string name, HttpRequest request, Caller caller, DocumentTypeCatalog types, SchemaCatalog files, DocExtractDbContext db,
        AuditLog audit, IOptions<ApiOptions> options, IOptions<SchemaLimits> limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (DocumentTypeName.Problem(name) is { } badName)
        {
            return Problems.BadRequest($"bad document type name: {badName}");
        }
        if (await files.FindAsync(name, cancellationToken) is not null)
        {
            return Problems.Conflict($"'{name}' is a built-in document type (schemas/{name}.json) and cannot be replaced through the API; " +
                "choose another name, or change the file on the server");
        }

        var limit = options.Value.MaxSchemaBytes;
        var bytes = await ReadBodyAsync(request, limit, cancellationToken);
        if (bytes is null)
        {
            return Problems.TooLarge($"the schema is larger than the limit of {limit} bytes (Api:MaxSchemaBytes)");
        }
        if (bytes.Length == 0)
        {
            return Problems.BadRequest("the body is empty: send the JSON Schema of the document type as the request body");
        }

        DocumentSchema schema;
        try
        {
            schema = await DocumentSchemaLoader.LoadAsync(name, bytes, files.GrammarOptions, limits.Value, cancellationToken);
        }
        catch (SchemaLimitException over)
        {
            return SchemaProblems.OverLimit(over);
        }
        catch (InvalidSchemaException invalid)
        {
            return Problems.BadRequest($"the schema {invalid.Message}");
        }
        catch (SchemaNotSupportedException unsupported)
        {
            return SchemaProblems.Unsupported(unsupported);
        }

        var tenant = caller.TenantId;
        var latest = await types.FindAsync(tenant, name, version: null, cancellationToken);
        if (latest.Type?.Schema.Version == schema.Version)
        {
            var same = await types.HistoryAsync(tenant, latest.Type, cancellationToken);
            return TypedResults.Ok(SchemaDetail.From(latest.Type, same));
        }

        var now = clock.GetUtcNow();
        db.CustomSchemas.Add(new CustomSchema
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenant,
            Name = name,
            Version = schema.Version,
            Content = bytes,
            CreatedAt = now,
        });
        // The new version and its audit record commit together (issue #7: every schema change is audited).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(AuditEntry.By(caller, AuditActions.SchemaChange, documentId: null,
                new { schema = name, version = schema.Version, replaced = latest.Type?.Schema.Version }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var stored = new DocumentType(schema, DocumentType.Custom, now);
        var history = await types.HistoryAsync(tenant, stored, cancellationToken);
        var body = SchemaDetail.From(stored, history);
        return latest.Type is null ? TypedResults.Created($"/schemas/{name}", body) : TypedResults.Ok(body);
    }

    /// <summary>
    /// Deletes every version of a custom type of the caller's tenant. Results keep the schema name and version they
    /// were made with; a document queued with the type, and any later upload or re-extraction naming it, meets the usual
    /// unknown type (the worker fails a queued one saying so). PUT may create the name again.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, Caller caller, SchemaCatalog files, DocExtractDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await files.FindAsync(name, cancellationToken) is not null)
        {
            return Problems.Conflict($"'{name}' is a built-in document type (schemas/{name}.json) and cannot be deleted through the API; " +
                "remove the file on the server");
        }

        var tenant = caller.TenantId;
        var rows = db.CustomSchemas.Where(s => s.TenantId == tenant && s.Name == name);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var versions = await rows.OrderByDescending(s => s.CreatedAt).Select(s => s.Version).ToListAsync(cancellationToken);
        // The count deleted, not the versions read, decides: of two deletions at once, only one finds rows to delete.
        if (versions.Count == 0 || await rows.ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return SchemaProblems.NotFound($"unknown schema '{name}'");
        }

        await audit.AppendAsync(AuditEntry.By(caller, AuditActions.SchemaDeleted, documentId: null,
            new { schema = name, versions }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

public sealed record SchemaList(IReadOnlyList<SchemaSummary> Items, IReadOnlyList<SchemaFileProblem> Unloadable);

/// <summary>A schema file of the folder that is not loaded, and why: it is fixed on the server, not through the API.</summary>
public sealed record SchemaFileProblem(string File, string Reason);

public sealed record SchemaSummary(string Name, string Version, string Title, string Description, int FieldCount, string Source, string Link)
{
    public static SchemaSummary From(DocumentType type) => new(
        type.Schema.Name, type.Schema.Version, type.Schema.Title, type.Schema.Description,
        CountFields(type.Schema), type.Source, $"/schemas/{type.Schema.Name}");

    /// <summary>The top-level properties: the fields a result's data has.</summary>
    public static int CountFields(DocumentSchema schema) =>
        schema.Root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Count()
            : 0;
}

public sealed record SchemaDetail(
    string Name, string Version, string Title, string Description, int FieldCount, string Source,
    DateTimeOffset? CreatedAt, JsonElement Schema, IReadOnlyList<DocumentTypeVersion> Versions)
{
    public static SchemaDetail From(DocumentType type, IReadOnlyList<DocumentTypeVersion> versions) => new(
        type.Schema.Name, type.Schema.Version, type.Schema.Title, type.Schema.Description,
        SchemaSummary.CountFields(type.Schema), type.Source, type.CreatedAt, type.Schema.Root, versions);
}

internal static class SchemaProblems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Document type not found");

    /// <summary>The limit, its setting and where the schema crosses it, in the text and as fields (#15).</summary>
    public static ProblemHttpResult OverLimit(SchemaLimitException over) => TypedResults.Problem(
        detail: $"the schema {over.Message}; make the schema smaller, or raise the setting on the server",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Schema over a limit",
        extensions: new Dictionary<string, object?>
        {
            ["setting"] = over.Setting, ["limit"] = over.Limit, ["actual"] = over.Actual, ["pointer"] = over.Pointer,
        });

    /// <summary>The keyword and where it is, in the text and as fields a client can point at.</summary>
    public static ProblemHttpResult Unsupported(SchemaNotSupportedException unsupported) => TypedResults.Problem(
        detail: $"the schema cannot be enforced while decoding and validating: {unsupported.Message}; remove or replace '{unsupported.Keyword}' at {unsupported.Pointer}",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Unsupported schema",
        extensions: new Dictionary<string, object?> { ["keyword"] = unsupported.Keyword, ["pointer"] = unsupported.Pointer });
}
