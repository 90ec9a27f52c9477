namespace DocExtract.Api.Documents;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest accepted upload; larger ones get 413 and store nothing.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Largest page a list request may ask for.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Largest limit= of GET /results; without limit= an export streams every matching result.</summary>
    public int MaxExportRows { get; set; } = 1_000_000;
}
