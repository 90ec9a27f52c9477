using DocExtract.Operations.Settings;
using System.Security.Claims;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Review;

/// <summary>
/// The review screen's sign-in (issue #13): an API key of role read or admin is exchanged for ASP.NET Core's cookie
/// authentication ticket (HttpOnly, SameSite=Strict, Secure over https), sealed by data protection whose keys live in
/// <see cref="ReviewOptions.KeysDirectory"/>. The cookie carries the key's id, tenant and role, the same claims as a
/// key, so every endpoint reads the caller the same way. The key is looked up again on every request: revoking it
/// ends its sessions at once. Writes made with the cookie need ASP.NET Core's antiforgery token.
/// </summary>
public static class ReviewSession
{
    /// <summary>The cookie's scheme.</summary>
    public const string CookieScheme = "ReviewCookie";

    /// <summary>A key when the request sends one, else the cookie: the review endpoints take either.</summary>
    public const string KeyOrCookieScheme = "ApiKeyOrReviewCookie";

    /// <summary>Read the queue, a document, its pages; approve: read and admin keys, or their sessions.</summary>
    public const string ReviewPolicy = "review";

    /// <summary>The usage page: admin keys or their sessions.</summary>
    public const string ReviewAdminPolicy = "review-admin";

    public const string CookieName = "docextract-review";
    public const string CsrfCookieName = "docextract-csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    public static IServiceCollection AddReviewSessions(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ReviewOptions.Section).Get<ReviewOptions>() ?? new ReviewOptions();
        if (options.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"invalid review settings: {string.Join("; ", problems)}");
        }
        services.AddSettings<ReviewOptions>(configuration, ReviewOptions.Section);

        // Files, not PostgreSQL: the keys are needed before the first request can be authenticated, a folder is one
        // volume to share between API instances (compose mounts one), and no migration is needed (docs/review.md).
        services.AddDataProtection()
            .SetApplicationName("DocExtract")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(options.KeysDirectory)));

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = CsrfHeader;
            antiforgery.Cookie.Name = CsrfCookieName;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.HttpOnly = true;
            // The review headers say DENY already; antiforgery would weaken it to SAMEORIGIN.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.Path = "/";
                cookie.ExpireTimeSpan = options.SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = ValidateKeyAsync;
                // An API answers, never redirects: the page shows its sign-in form on a 401.
                cookie.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                    "Sign-in required", "sign in on /review with an API key of role read or admin, or send the key as 'Authorization: Bearer <key>'");
                cookie.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                    "Not allowed for this key's role",
                    $"API key {context.HttpContext.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)} may not {context.Request.Method} {context.Request.Path}; see the README's role matrix");
            })
            .AddPolicyScheme(KeyOrCookieScheme, "API key or review session", scheme =>
                scheme.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : CookieScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(ReviewPolicy, new AuthorizationPolicyBuilder(KeyOrCookieScheme).RequireAuthenticatedUser()
                .RequireRole(ApiRoles.Read, ApiRoles.Admin).Build())
            .AddPolicy(ReviewAdminPolicy, new AuthorizationPolicyBuilder(KeyOrCookieScheme).RequireAuthenticatedUser()
                .RequireRole(ApiRoles.Admin).Build());
        return services;
    }

    /// <summary>The principal a session carries: the key's claims, as the key handler makes them.</summary>
    public static ClaimsPrincipal PrincipalFor(Persistence.Entities.ApiKey key) => new(new ClaimsIdentity(
        [new Claim(ApiKeyAuthenticationHandler.KeyIdClaim, key.Id), new Claim(ApiKeyAuthenticationHandler.TenantClaim, key.TenantId),
         new Claim(ClaimTypes.Role, key.Role)],
        CookieScheme, ApiKeyAuthenticationHandler.KeyIdClaim, ClaimTypes.Role));

    /// <summary>Whether the request was authenticated by the session cookie (and so must carry a CSRF token to write).</summary>
    public static bool ByCookie(ClaimsPrincipal user) => user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == CookieScheme);

    /// <summary>
    /// An endpoint filter for writes: a request made with the session cookie must carry the antiforgery token in the
    /// <see cref="CsrfHeader"/> header; one made with an API key needs none (a page cannot make a browser send a key).
    /// </summary>
    public static async ValueTask<object?> RequireCsrfTokenAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.User.Identities.Any(i => i.IsAuthenticated) || ByCookie(http.User))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Problems.BadRequest($"this write needs the CSRF token of the review session in the {CsrfHeader} header " +
                    "(GET /review/api/session gives it); reload the review page and try again");
            }
        }
        return await next(context);
    }

    private static async Task ValidateKeyAsync(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim);
        var db = context.HttpContext.RequestServices.GetRequiredService<DocExtractDbContext>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var key = keyId is null ? null : await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == keyId, context.HttpContext.RequestAborted);
        var tenant = context.Principal?.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim);
        var role = context.Principal?.FindFirstValue(ClaimTypes.Role);
        if (key is null || (key.RevokedAt is { } revoked && revoked <= now) || key.TenantId != tenant || key.Role != role)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
