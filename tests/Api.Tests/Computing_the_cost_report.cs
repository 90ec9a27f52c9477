using DocExtract.Api.Usage;
using DocExtract.Persistence.Queries;

namespace DocExtract.Api.Tests;

/// <summary>
/// The cost report's arithmetic (issue #12) against figures computed by hand. The period is exactly one month of
/// 730 hours (2026-01-01T00:00Z + 730 h = 2026-01-31T10:00Z), so the period's figures are the monthly ones.
/// </summary>
public sealed class Computing_the_cost_report
{
    private static readonly DateTimeOffset _from = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _to = _from.AddHours(730);

    // 10,000 documents that kept the workers busy 182.5 hours (657,000 worker-seconds): a quarter of the 730.
    private static readonly UsageTotals _month = new()
    {
        Key = "all", Documents = 10_000, PromptTokensEvaluated = 2_000_000, PromptTokensReused = 6_000_000, GeneratedTokens = 500_000,
        WorkerSeconds = 657_000,
    };

    private static readonly CostOptions _box = new()
    {
        Currency = "EUR", HardwarePrice = 3600, AmortisationMonths = 36, PowerBusyWatts = 400, PowerIdleWatts = 100, ElectricityPricePerKwh = 0.20,
        CloudPrices =
        [
            new() { Name = "small", InputPerMillion = 5, CachedInputPerMillion = 0.5, OutputPerMillion = 15, AsOf = "2026-01-01" },
            new() { Name = "large", InputPerMillion = 50, CachedInputPerMillion = 25, OutputPerMillion = 151.1, AsOf = "2026-02-01" },
        ],
    };

    [Fact]
    public void The_box_costs_its_amortised_price_plus_its_power_at_the_measured_busy_share()
    {
        var report = CostReport.Compute(_month, _from, _to, _box);

        Assert.Equal(10_000, report.DocumentsPerMonth, 9);
        Assert.Equal(0.25, report.BusyShare, 9);                 // 657,000 s / 3600 = 182.5 h of 730 h
        Assert.Equal(100, report.HardwarePerMonth, 9);           // 3600 / 36
        Assert.Equal(25.55, report.PowerPerMonth, 9);            // (0.25 * 400 W + 0.75 * 100 W) * 730 h = 127.75 kWh * 0.20
        Assert.Equal(125.55, report.BoxCostPerMonth, 9);         // 100 + 25.55
        Assert.Equal(0.012555, report.BoxCostPerDocument!.Value, 9); // 125.55 / 10,000
        Assert.Equal(54.794520548, report.CapacityDocumentsPerHour!.Value, 6); // 10,000 documents / 182.5 worker-hours
        Assert.Equal(40_000, report.CapacityDocumentsPerMonth!.Value, 6);       // 54.79... * 730
        Assert.Equal("EUR", report.Currency);
    }

    [Fact]
    public void A_cheap_cloud_price_is_said_to_be_cheaper_with_the_volume_where_the_box_would_break_even()
    {
        var small = CostReport.Compute(_month, _from, _to, _box).Cloud[0];

        Assert.Equal(20.5, small.CostForPeriod, 9);   // 2M * 5 + 6M * 0.5 + 0.5M * 15 = 10 + 3 + 7.5 per million
        Assert.Equal(20.5, small.CostPerMonth, 9);
        Assert.Equal(0.00205, small.CostPerDocument, 9);
        Assert.True(small.RentingIsCheaper);          // 20.5 < 125.55
        Assert.Null(small.BreakEvenMonths);           // 20.5 a month does not even pay the 25.55 of power
        // V * 0.00205 = 100 hardware + 14.6 idle power (100 W * 730 h * 0.20 / 1000) + V * 0.001095 marginal power
        // (0.01825 worker-hours per document * 300 W * 0.20 / 1000): V = 114.6 / 0.000955 = 120,000 documents a month.
        Assert.Equal(120_000, small.BreakEvenDocumentsPerMonth!.Value, 6);
        Assert.Equal("2026-01-01", small.PriceAsOf);
        Assert.Contains("renting small is cheaper at this volume: never at this volume", small.Verdict, StringComparison.Ordinal);
        Assert.Contains("120000 documents a month, more than the box's capacity of 40000", small.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dear_cloud_price_makes_the_box_pay_for_itself_in_months()
    {
        var report = CostReport.Compute(_month, _from, _to, _box);
        var large = report.Cloud[1];

        Assert.Equal(325.55, large.CostPerMonth, 9);  // 2M * 50 + 6M * 25 + 0.5M * 151.1 = 100 + 150 + 75.55
        Assert.False(large.RentingIsCheaper);         // 325.55 > 125.55
        Assert.Equal(12, large.BreakEvenMonths!.Value, 9); // 3600 / (325.55 - 25.55 power)
        Assert.Equal(3642.720915, large.BreakEvenDocumentsPerMonth!.Value, 5); // 114.6 / (0.032555 - 0.001095)
        Assert.Contains("owning the box is cheaper than renting large: it pays for itself in 12.0 months", large.Verdict, StringComparison.Ordinal);
        Assert.Contains(report.Summary, line => line.StartsWith("what the box buys instead", StringComparison.Ordinal)
            && line.Contains("no byte leaving it", StringComparison.Ordinal) && line.Contains("outside API", StringComparison.Ordinal));
    }

    [Fact]
    public void A_period_shorter_than_a_month_is_scaled_to_a_month()
    {
        // 10 days = 240 h; a month is 730 h, so the volume and the cloud cost are multiplied by 730 / 240 = 3.041666...
        var report = CostReport.Compute(_month, _from, _from.AddHours(240), _box);

        Assert.Equal(30_416.666667, report.DocumentsPerMonth, 5);      // 10,000 * 730 / 240
        Assert.Equal(62.354167, report.Cloud[0].CostPerMonth, 5);      // 20.5 * 730 / 240
        Assert.Equal(0.760417, report.BusyShare, 5);                    // 182.5 worker-hours of 240 h
    }

    [Fact]
    public void No_documents_gives_the_box_cost_and_says_there_is_no_volume_to_price()
    {
        var report = CostReport.Compute(new UsageTotals { Key = "all" }, _from, _to, new CostOptions());

        Assert.Equal(0, report.Documents);
        Assert.Null(report.BoxCostPerDocument);
        Assert.Null(report.CapacityDocumentsPerHour);
        // Defaults: 4000 / 36 = 111.111... hardware, idle only: 60 W * 730 h = 43.8 kWh * 0.30 = 13.14 power.
        Assert.Equal(124.251111, report.BoxCostPerMonth, 5);
        Assert.Equal(["2024-05-13", "2024-07-18"], report.Cloud.Select(c => c.PriceAsOf));
        Assert.Contains("no documents were processed in this period, so there is no measured volume to price", report.Summary);
    }
}
