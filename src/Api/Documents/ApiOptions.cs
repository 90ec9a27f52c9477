using System.ComponentModel.DataAnnotations;
using System.Net;

namespace DocExtract.Api.Documents;

public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";

    /// <summary>Largest accepted upload; larger ones get 413 and store nothing.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Uploads per tenant and minute over HTTP (0: no limit); Tenants:&lt;slug&gt;:UploadsPerMinute overrides it.</summary>
    [Range(0, int.MaxValue)]
    public int UploadsPerMinute { get; set; }

    /// <summary>Largest schema PUT /schemas/{name} accepts; larger ones get 413 and store nothing.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSchemaBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest page a list request may ask for.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Largest limit= of GET /results; without limit= an export streams every matching result.</summary>
    [Range(1, int.MaxValue)]
    public int MaxExportRows { get; set; } = 1_000_000;

    /// <summary>
    /// The reverse proxies (addresses such as 10.0.0.5, or networks such as 10.0.0.0/24) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed: the client's address then goes into the audit trail and an https request
    /// ending at the proxy gets Secure cookies. Empty (the default): those headers are ignored, whoever sends them.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Length; i++)
        {
            if (!IPNetwork.TryParse(TrustedProxies[i], out _) && !IPAddress.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult(
                    $"{Section}:TrustedProxies:{i} must be an IP address (10.0.0.5) or network (10.0.0.0/24), not '{TrustedProxies[i]}'");
            }
        }
    }
}
