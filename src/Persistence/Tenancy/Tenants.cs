using System.Text.RegularExpressions;

namespace DocExtract.Persistence.Tenancy;

/// <summary>Tenant slugs and the roles a key can hold (issue #7; the matrix is in docs/security.md, "Keys, roles and tenants").</summary>
public static partial class Tenants
{
    /// <summary>The tenant of documents stored before tenancy existed, and of the watched folder unless configured.</summary>
    public const string Default = "default";

    /// <summary>The width of every tenant_id column; a slug has at most 63 characters.</summary>
    public const int MaxLength = 64;

    public static bool IsValidSlug(string? slug) => slug is not null && Slug().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Slug();
}

public static class ApiRoles
{
    /// <summary>Upload, and read the documents this key uploaded.</summary>
    public const string Submit = "submit";

    /// <summary>Read, list and export every document of the tenant.</summary>
    public const string Read = "read";

    /// <summary>Everything, including deletion, the audit trail and schema changes.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Submit, Read, Admin];
}
