using System.Text.Json;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Audit;

public sealed record AuditRecordResponse(
    long Sequence, DateTimeOffset At, string Tenant, string Actor, string? KeyId, string Action, Guid? DocumentId,
    string? Remote, JsonElement Details, string PreviousHash, string Hash)
{
    public static AuditRecordResponse From(AuditRecord r) => new(
        r.Sequence, r.At, r.TenantId, r.Actor, r.KeyId, r.Action, r.DocumentId, r.Remote,
        JsonSerializer.Deserialize<JsonElement>(r.Details), r.PreviousHash, r.Hash);
}

public sealed record AuditPage(IReadOnlyList<AuditRecordResponse> Items, string? Next);

/// <summary>GET /audit: the caller's tenant's audit records, oldest first, for admin keys only (issue #7).</summary>
public static class AuditApi
{
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/audit").WithTags("Audit").MapGet("/", ListAsync).RequireAuthorization(Policies.Admin);
        return app;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAsync(
        Caller caller, DocExtractDbContext db, CancellationToken cancellationToken,
        Guid? document = null, long after = 0, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxLimit}");
        }
        var query = db.AuditLog.AsNoTracking().Where(r => r.TenantId == caller.TenantId && r.Sequence > after);
        if (document is { } id)
        {
            query = query.Where(r => r.DocumentId == id);
        }
        var records = await query.OrderBy(r => r.Sequence).Take(limit).ToListAsync(cancellationToken);
        var next = records.Count == limit
            ? $"/audit?{(document is null ? "" : $"document={document}&")}after={records[^1].Sequence}&limit={limit}"
            : null;
        return TypedResults.Ok(new AuditPage([.. records.Select(AuditRecordResponse.From)], next));
    }
}
