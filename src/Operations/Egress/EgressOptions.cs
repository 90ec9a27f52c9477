namespace DocExtract.Operations.Egress;

public sealed class EgressOptions
{
    public const string Section = "Egress";

    /// <summary>
    /// Start even when a configured server lies at a public address (logged as a warning). Off: such a
    /// configuration refuses to start, since DocExtract's servers belong on the firm's own network.
    /// </summary>
    public bool AllowPublicAddresses { get; set; }
}
