namespace DocExtract.Contracts;

public static class QueueNames
{
    /// <summary>The default queue of <see cref="ExtractDocument"/>; deployments and tests may rename it.</summary>
    public const string ExtractDocument = "extract-document";
}
