using System.Security.Claims;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Security;

/// <summary>
/// Who is calling: the key's tenant, role and id, and the remote address. The one way endpoints learn it: take a
/// <see cref="Caller"/> parameter (minimal APIs bind it through <see cref="BindAsync"/>), then read documents only
/// through <see cref="CallerScope.Visible"/>, and pass the caller to the audit log.
/// </summary>
public sealed record Caller(string TenantId, string Role, string KeyId, string? Remote)
{
    public string Actor => $"key:{KeyId}";

    /// <summary>A submit key reads only what it uploaded itself; read and admin keys read the whole tenant.</summary>
    public bool SeesOnlyOwnUploads => Role == ApiRoles.Submit;

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context));

    public static Caller From(HttpContext context)
    {
        var user = context.User;
        var tenant = user.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim);
        var role = user.FindFirstValue(ClaimTypes.Role);
        var key = user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim);
        if (tenant is null || role is null || key is null)
        {
            // Only reachable by an endpoint marked AllowAnonymous that still asks for a caller: a bug, not a client error.
            throw new InvalidOperationException($"{context.Request.Path} asked for the caller but the request carries no authenticated API key");
        }
        return new Caller(tenant, role, key, context.Connection.RemoteIpAddress?.ToString());
    }
}

public static class CallerScope
{
    /// <summary>
    /// The documents this caller may see: its tenant's, and for a submit key only its own uploads. Anything else
    /// is answered as not found, never as forbidden, so a key cannot learn that another tenant's document exists.
    /// </summary>
    public static IQueryable<Document> Visible(this IQueryable<Document> documents, Caller caller)
    {
        var query = documents.Where(d => d.TenantId == caller.TenantId);
        return caller.SeesOnlyOwnUploads ? query.Where(d => d.SubmittedByKeyId == caller.KeyId) : query;
    }

    /// <summary>The document with this id if the caller may see it, else null (answered as not found).</summary>
    public static Task<Document?> FindVisibleAsync(this IQueryable<Document> documents, Caller caller, Guid id, CancellationToken cancellationToken) =>
        documents.Visible(caller).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
}
