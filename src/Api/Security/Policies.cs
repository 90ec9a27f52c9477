using DocExtract.Persistence.Tenancy;
using Microsoft.AspNetCore.Authorization;

namespace DocExtract.Api.Security;

/// <summary>
/// The role matrix (issue #7; docs/security.md, "Keys, roles and tenants"). Every endpoint without a policy of its own still
/// needs a valid key of any role (the fallback policy), so an endpoint added later is never open by accident.
/// </summary>
public static class Policies
{
    /// <summary>Upload documents: submit and admin keys.</summary>
    public const string Submit = "submit";

    /// <summary>Read, list and export: every role (a submit key sees only its own uploads, see <see cref="CallerScope"/>).</summary>
    public const string Read = "read";

    /// <summary>Export results (#6): read and admin keys.</summary>
    public const string Export = "export";

    /// <summary>Re-extract a document (#6): submit keys (their own uploads, through <see cref="CallerScope"/>) and admin keys.</summary>
    public const string Reextract = "reextract";

    /// <summary>Delete, read the audit trail, change schemas: admin keys.</summary>
    public const string Admin = "admin";

    public static IServiceCollection AddDocExtractAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(Require().Build())
            .AddPolicy(Submit, Require().RequireRole(ApiRoles.Submit, ApiRoles.Admin).Build())
            .AddPolicy(Read, Require().RequireRole(ApiRoles.Submit, ApiRoles.Read, ApiRoles.Admin).Build())
            .AddPolicy(Export, Require().RequireRole(ApiRoles.Read, ApiRoles.Admin).Build())
            .AddPolicy(Reextract, Require().RequireRole(ApiRoles.Submit, ApiRoles.Admin).Build())
            .AddPolicy(Admin, Require().RequireRole(ApiRoles.Admin).Build());
        return services;
    }

    private static AuthorizationPolicyBuilder Require() =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
}
