using System.Globalization;
using System.Threading.RateLimiting;
using DocExtract.Api.Documents;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Security;

/// <summary>One tenant's limits; unset values fall back to <c>Api:MaxUploadBytes</c> and <c>Api:UploadsPerMinute</c>.</summary>
public sealed class TenantSettings
{
    public long? MaxUploadBytes { get; set; }
    public int? UploadsPerMinute { get; set; }

    /// <summary>The OCR languages of this tenant's scans when an upload names none (eng+fra); unset: chosen from the scan.</summary>
    public string? OcrLanguages { get; set; }
}

public sealed record TenantLimit(long MaxUploadBytes, int UploadsPerMinute, string? OcrLanguages = null);

/// <summary>
/// Upload limits per tenant (issue #7), from <c>Tenants:&lt;slug&gt;:MaxUploadBytes</c> and
/// <c>Tenants:&lt;slug&gt;:UploadsPerMinute</c>. The rate is enforced by ASP.NET Core's rate limiter, one fixed
/// one-minute window per tenant, answering 429 problem+json with Retry-After.
/// </summary>
public sealed class TenantLimits(IOptions<ApiOptions> api, IConfiguration configuration)
{
    public const string Section = "Tenants";
    public const string UploadPolicy = "uploads-per-tenant";

    private readonly Dictionary<string, TenantSettings> _tenants =
        configuration.GetSection(Section).Get<Dictionary<string, TenantSettings>>() ?? [];

    public TenantLimit For(string tenantId)
    {
        _tenants.TryGetValue(tenantId, out var own);
        return new TenantLimit(own?.MaxUploadBytes ?? api.Value.MaxUploadBytes, own?.UploadsPerMinute ?? api.Value.UploadsPerMinute, own?.OcrLanguages);
    }

    /// <summary>The largest upload any tenant may send: what Kestrel and the form reader must let through.</summary>
    public static long LargestUpload(IConfiguration configuration, ApiOptions api) =>
        (configuration.GetSection(Section).Get<Dictionary<string, TenantSettings>>() ?? [])
            .Values.Select(t => t.MaxUploadBytes ?? 0).Append(api.MaxUploadBytes).Max();
}

public static class TenantLimitsRegistration
{
    public static IServiceCollection AddTenantLimits(this IServiceCollection services)
    {
        services.AddSingleton<TenantLimits>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(TenantLimits.UploadPolicy, context =>
            {
                var tenant = Caller.From(context).TenantId;
                var perMinute = context.RequestServices.GetRequiredService<TenantLimits>().For(tenant).UploadsPerMinute;
                return perMinute <= 0
                    ? RateLimitPartition.GetNoLimiter(tenant)
                    : RateLimitPartition.GetFixedWindowLimiter(tenant, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = perMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var caller = Caller.From(http);
                var limit = http.RequestServices.GetRequiredService<TenantLimits>().For(caller.TenantId).UploadsPerMinute;
                await Problems.TooManyRequests(
                        $"tenant '{caller.TenantId}' may upload {limit} documents a minute; retry in {seconds} s (nothing of this upload was stored)")
                    .ExecuteAsync(http);
            };
        });
        return services;
    }
}
