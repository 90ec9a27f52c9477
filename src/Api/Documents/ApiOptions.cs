using System.ComponentModel.DataAnnotations;

namespace DocExtract.Api.Documents;

public sealed class ApiOptions
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
}
