using DocExtract.Persistence.Queries;

namespace DocExtract.Api.Usage;

/// <summary>What the same tokens would cost at one cloud price, and when owning the box pays off against it.</summary>
public sealed record CloudComparison(
    string Name,
    string PriceAsOf,
    double CostForPeriod,
    double CostPerMonth,
    double CostPerDocument,
    bool RentingIsCheaper,
    double? BreakEvenMonths,
    double? BreakEvenDocumentsPerMonth,
    string Verdict);

/// <summary>GET /usage/report and `cost-report`: the ledger's totals priced by the cost model (issue #12).</summary>
public sealed record CostReportResult(
    DateTimeOffset From,
    DateTimeOffset To,
    string Currency,
    long Documents,
    long PromptTokensEvaluated,
    long PromptTokensReused,
    long GeneratedTokens,
    double DocumentsPerMonth,
    double BusyShare,
    double HardwarePerMonth,
    double PowerPerMonth,
    double BoxCostPerMonth,
    double? BoxCostPerDocument,
    double? CapacityDocumentsPerHour,
    double? CapacityDocumentsPerMonth,
    IReadOnlyList<CloudComparison> Cloud,
    IReadOnlyList<string> Summary);

/// <summary>
/// The arithmetic of the cost report, and nothing else: pure, so every figure can be checked by hand.
/// A month is 730 hours (8760 / 12). The period's volume is scaled to a month by its length. The box costs its
/// hardware price spread over the amortisation months, plus its power: busy watts for the share of the month its
/// workers were busy (the documents' worker-seconds), idle watts for the rest. The cloud is priced per token:
/// prompt tokens evaluated at the input price, prompt tokens reused from the prompt cache at the cached-input price
/// (a cloud caches the same repeated instructions), generated tokens at the output price.
/// </summary>
public static class CostReport
{
    public const double HoursPerMonth = 730;

    public static CostReportResult Compute(UsageTotals totals, DateTimeOffset from, DateTimeOffset to, CostOptions cost)
    {
        var periodHours = (to - from).TotalHours;
        var scale = HoursPerMonth / periodHours;
        var documentsPerMonth = totals.Documents * scale;
        var busyShare = Math.Min(1, totals.WorkerSeconds / 3600 / periodHours);
        var hardware = cost.HardwarePrice / cost.AmortisationMonths;
        var kwhPrice = cost.ElectricityPricePerKwh / 1000;
        var idlePower = cost.PowerIdleWatts * HoursPerMonth * kwhPrice;
        var power = (busyShare * cost.PowerBusyWatts + (1 - busyShare) * cost.PowerIdleWatts) * HoursPerMonth * kwhPrice;
        var box = hardware + power;
        double? perDocument = totals.Documents > 0 ? box / documentsPerMonth : null;
        // Worker-hours one document takes: the box's capacity, and the extra power one more document draws.
        double? workerHoursPerDocument = totals.Documents > 0 && totals.WorkerSeconds > 0 ? totals.WorkerSeconds / 3600 / totals.Documents : null;
        double? capacityPerHour = 1 / workerHoursPerDocument;
        var marginalPower = (workerHoursPerDocument ?? 0) * (cost.PowerBusyWatts - cost.PowerIdleWatts) * kwhPrice;

        var cloud = cost.Prices.Select(price =>
        {
            var forPeriod = (totals.PromptTokensEvaluated * price.InputPerMillion + totals.PromptTokensReused * price.CachedInputPerMillion
                + totals.GeneratedTokens * price.OutputPerMillion) / 1_000_000;
            var perMonth = forPeriod * scale;
            var cloudPerDocument = totals.Documents > 0 ? forPeriod / totals.Documents : 0;
            var cheaper = perMonth < box;
            // Buying pays off once the monthly saving against renting has repaid the hardware.
            double? months = perMonth > power ? cost.HardwarePrice / (perMonth - power) : null;
            // The volume where renting costs what the amortised box costs: c·V = hardware + idle power + marginal power·V.
            double? volume = cloudPerDocument > marginalPower ? (hardware + idlePower) / (cloudPerDocument - marginalPower) : null;
            return new CloudComparison(price.Name, price.AsOf, forPeriod, perMonth, cloudPerDocument, cheaper, months, volume,
                Verdict(price, cheaper, months, volume, capacityPerHour * HoursPerMonth, cost));
        }).ToList();

        return new CostReportResult(from, to, cost.Currency, totals.Documents, totals.PromptTokensEvaluated, totals.PromptTokensReused,
            totals.GeneratedTokens, documentsPerMonth, busyShare, hardware, power, box, perDocument, capacityPerHour,
            capacityPerHour * HoursPerMonth, cloud, Summary(cloud, totals, capacityPerHour));
    }

    private static string Verdict(CloudPrice price, bool cheaper, double? months, double? volume, double? capacityPerMonth, CostOptions cost)
    {
        var breakEven = volume is { } v
            ? $"it would break even at {v:0} documents a month" + (capacityPerMonth is { } c && v > c ? $", more than the box's capacity of {c:0}" : "")
            : "it never breaks even at any volume: each document costs more in power here than the cloud charges for it";
        if (!cheaper && months is { } m)
        {
            return $"owning the box is cheaper than renting {price.Name}: it pays for itself in {m:0.0} months (amortised over {cost.AmortisationMonths})";
        }
        return months is { } late
            ? $"renting {price.Name} is cheaper at this volume: the box would take {late:0.0} months to pay for itself, longer than its {cost.AmortisationMonths}-month amortisation; {breakEven}"
            : $"renting {price.Name} is cheaper at this volume: never at this volume does the box pay for itself; {breakEven}";
    }

    private static List<string> Summary(List<CloudComparison> cloud, UsageTotals totals, double? capacityPerHour)
    {
        var summary = cloud.Select(c => c.Verdict).ToList();
        if (cloud.Any(c => c.RentingIsCheaper))
        {
            summary.Add("what the box buys instead of the saving: every document is processed with no byte leaving it, " +
                "and the service does not depend on an outside API being up, priced the same, or still offered");
        }
        if (totals.Documents == 0)
        {
            summary.Add("no documents were processed in this period, so there is no measured volume to price");
        }
        else if (capacityPerHour is { } capacity)
        {
            summary.Add($"at the measured {capacity:0.#} documents per hour, the box could process {capacity * HoursPerMonth:0} documents a month");
        }
        return summary;
    }
}
