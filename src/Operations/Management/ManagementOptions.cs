namespace DocExtract.Operations.Management;

public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>
    /// Where the probes and /metrics listen apart from the main traffic (e.g. <c>http://0.0.0.0:8081</c>); empty
    /// turns the listener off. The worker has no other HTTP port.
    /// </summary>
    public string? Urls { get; set; }
}
