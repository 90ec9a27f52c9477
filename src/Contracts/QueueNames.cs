namespace DocExtract.Contracts;

public static class QueueNames
{
    /// <summary>The default queue of <see cref="ExtractDocument"/>; deployments and tests may rename it.</summary>
    public const string ExtractDocument = "extract-document";

    /// <summary>
    /// The queue of model tier <paramref name="tier"/> (#12, the cascade of local models): tier 0 is
    /// <paramref name="extractQueue"/> itself (RabbitMq:ExtractQueue), so a deployment without tiers is unchanged, and
    /// tier N is <c>{extractQueue}-tier-N</c>.
    /// </summary>
    public static string ForTier(string extractQueue, int tier) => tier == 0 ? extractQueue : $"{extractQueue}-tier-{tier}";
}
