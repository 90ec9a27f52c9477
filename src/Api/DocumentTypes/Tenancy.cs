using DocExtract.Persistence.Entities;

namespace DocExtract.Api.DocumentTypes;

/// <summary>
/// Whose custom document types a request sees and stores. The one place that knows: every endpoint asks here, so
/// binding API keys to tenants (the "tenancy" part of the project) changes this method alone.
/// </summary>
public static class Tenancy
{
    public static string CurrentTenant(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Tenants.Default;
    }
}
