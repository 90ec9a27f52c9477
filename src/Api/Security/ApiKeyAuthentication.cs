using System.Security.Claims;
using System.Text.Encodings.Web;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer dx_...</c> or <c>X-Api-Key: dx_...</c> against the hashed keys in
/// api_keys (issue #7). Challenges and refusals are problem+json like every other error: 401 says what to send,
/// 403 names the key's role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DocExtractDbContext db,
    TimeProvider clock,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TenantClaim = "docextract:tenant";
    public const string KeyIdClaim = "docextract:key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        // An anonymous endpoint (/health/live) never looks a key up: a probe that sends one anyway must get its
        // answer while PostgreSQL is down. ASP.NET Core authenticates before it checks AllowAnonymous.
        if (token is null || Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }
        var (key, failure) = await VerifyAsync(db, token, clock.GetUtcNow(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(failure!);
        }

        var identity = new ClaimsIdentity(
            [new Claim(KeyIdClaim, key.Id), new Claim(TenantClaim, key.TenantId), new Claim(ClaimTypes.Role, key.Role)],
            SchemeName, KeyIdClaim, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The key a token names if it is valid and not revoked, else why not (also used by the review sign-in, #13).</summary>
    public static async Task<(ApiKey? Key, string? Failure)> VerifyAsync(
        DocExtractDbContext db, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!ApiKeySecrets.TryParse(token, out var id, out var secret))
        {
            return (null, "the API key is malformed: keys look like dx_<12 hex digits>_<secret>, as `keys create` printed it");
        }
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || !ApiKeySecrets.Matches(secret, key.SecretSha256))
        {
            return (null, $"API key {id} is not valid: check it was copied whole, or ask an administrator for a new one");
        }
        if (key.RevokedAt is { } revoked && revoked <= now)
        {
            return (null, $"API key {id} was revoked at {revoked:u}; ask an administrator for a new one");
        }
        return (key, null);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "API key required",
            result.Failure?.Message ?? $"send an API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'; `keys create` makes one");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        var key = Context.User.FindFirstValue(KeyIdClaim);
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed for this key's role",
            $"API key {key} has the role '{role}', which may not {Request.Method} {Request.Path}; see the role matrix in docs/security.md");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string? ReadToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var header = request.Headers[HeaderName].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
