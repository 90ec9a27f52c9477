using System.Collections.Frozen;
using System.Security.Claims;
using DocExtract.Api.Audit;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DocExtract.Api.Review;

/// <summary>
/// The review screen's page, its assets and its session endpoints (issue #13). Everything the browser loads comes
/// from this assembly's embedded files: no CDN, no outside font. Every /review response carries a strict
/// Content-Security-Policy with no inline script or style.
/// </summary>
public static class ReviewScreen
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> _assets = new Dictionary<string, string>
    {
        ["review.js"] = "text/javascript; charset=utf-8",
        ["review.css"] = "text/css; charset=utf-8",
        ["icon.svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    public static IEndpointRouteBuilder MapReviewScreen(this IEndpointRouteBuilder app)
    {
        var review = app.MapGroup("/review").WithTags("Review").ExcludeFromDescription();
        review.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8")).AllowAnonymous();
        review.MapGet("/assets/{name}", (string name) =>
            _assets.TryGetValue(name, out var type) ? Asset(name, type) : Results.NotFound()).AllowAnonymous();
        review.MapGet("/api/session", SessionAsync).AllowAnonymous();
        review.MapPost("/api/sign-in", SignInAsync).AllowAnonymous().DisableAntiforgery()
            .AddEndpointFilter(ReviewSession.RequireCsrfTokenAsync);
        review.MapPost("/api/sign-out", (Delegate)SignOutAsync).DisableAntiforgery()
            .RequireAuthorization(ReviewSession.ReviewPolicy).AddEndpointFilter(ReviewSession.RequireCsrfTokenAsync);
        return app;
    }

    /// <summary>The headers of every /review response: set before the endpoint runs, so errors carry them too.</summary>
    public static IApplicationBuilder UseReviewHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/review"))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }
        return next(context);
    });

    /// <summary>Who is signed in (or nobody), and a CSRF token bound to that session for the next write.</summary>
    public static async Task<Ok<SessionResponse>> SessionAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var session = await context.AuthenticateAsync(ReviewSession.CookieScheme);
        if (session.Succeeded)
        {
            context.User = session.Principal;
        }
        var tokens = antiforgery.GetAndStoreTokens(context);
        var user = session.Succeeded ? session.Principal : null;
        return TypedResults.Ok(new SessionResponse(
            user is not null,
            user?.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim),
            user?.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim),
            user?.FindFirstValue(ClaimTypes.Role),
            tokens.RequestToken!,
            ReviewSession.CsrfHeader));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(
        SignInRequest body, HttpContext context, DocExtractDbContext db, TimeProvider clock, AuditLog audit, CancellationToken cancellationToken)
    {
        var (key, failure) = await ApiKeyAuthenticationHandler.VerifyAsync(db, body.Key?.Trim() ?? "", clock.GetUtcNow(), cancellationToken);
        if (key is null)
        {
            return TypedResults.Problem(detail: failure, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused");
        }
        if (key.Role is not (ApiRoles.Read or ApiRoles.Admin))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-in refused",
                detail: $"API key {key.Id} has the role '{key.Role}'; reviewing needs a key of role read or admin");
        }
        await context.SignInAsync(ReviewSession.CookieScheme, ReviewSession.PrincipalFor(key));
        await audit.AppendAsync(new AuditEntry(key.TenantId, $"key:{key.Id}", key.Id, AuditActions.ReviewSignIn, null,
            context.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(ReviewSession.CookieScheme);
        return TypedResults.NoContent();
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(ReviewScreen).Assembly.GetManifestResourceStream($"review/{name}")
            ?? throw new InvalidOperationException($"the review screen's asset {name} is missing from the build");
        return Results.Stream(stream, contentType);
    }
}

public sealed record SignInRequest(string? Key);

public sealed record SessionResponse(bool SignedIn, string? KeyId, string? Tenant, string? Role, string CsrfToken, string CsrfHeader);
