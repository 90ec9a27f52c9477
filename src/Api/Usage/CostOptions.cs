namespace DocExtract.Api.Usage;

/// <summary>
/// The cost model of GET /usage/report (issue #12): what owning the box costs, and the cloud list prices to compare
/// with. Every figure is a setting; the defaults are examples to replace with your own.
/// </summary>
public sealed class CostOptions
{
    public const string Section = "Cost";

    public string Currency { get; set; } = "USD";

    /// <summary>What the box cost to buy, in <see cref="Currency"/>.</summary>
    public double HardwarePrice { get; set; } = 4000;

    /// <summary>Months the hardware price is spread over.</summary>
    public int AmortisationMonths { get; set; } = 36;

    /// <summary>The box's power draw while it processes documents, and while it waits, in watts.</summary>
    public double PowerBusyWatts { get; set; } = 350;
    public double PowerIdleWatts { get; set; } = 60;

    /// <summary>Electricity price per kWh, in <see cref="Currency"/>.</summary>
    public double ElectricityPricePerKwh { get; set; } = 0.30;

    /// <summary>
    /// Cloud list prices to compare with, per million tokens, each with the date it was taken. Empty means
    /// <see cref="DefaultCloudPrices"/>; any set here (Cost:CloudPrices:N:...) replace the defaults entirely.
    /// </summary>
    public List<CloudPrice> CloudPrices { get; set; } = [];

    /// <summary>The published launch list prices of a frontier model and of a small one, with the dates they were published.</summary>
    public static IReadOnlyList<CloudPrice> DefaultCloudPrices { get; } =
    [
        new() { Name = "frontier (gpt-4o-2024-05-13 list price)", InputPerMillion = 5, CachedInputPerMillion = 5, OutputPerMillion = 15, AsOf = "2024-05-13" },
        new() { Name = "small (gpt-4o-mini list price)", InputPerMillion = 0.15, CachedInputPerMillion = 0.075, OutputPerMillion = 0.60, AsOf = "2024-07-18" },
    ];

    /// <summary>The prices the report compares with.</summary>
    public IReadOnlyList<CloudPrice> Prices => CloudPrices.Count > 0 ? CloudPrices : DefaultCloudPrices;

    /// <summary>What is wrong with the settings, naming each; empty when the report can be made.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (HardwarePrice < 0) problems.Add("Cost:HardwarePrice must not be negative");
        if (AmortisationMonths < 1) problems.Add("Cost:AmortisationMonths must be at least 1");
        if (PowerBusyWatts < 0 || PowerIdleWatts < 0) problems.Add("Cost:PowerBusyWatts and Cost:PowerIdleWatts must not be negative");
        if (ElectricityPricePerKwh < 0) problems.Add("Cost:ElectricityPricePerKwh must not be negative");
        for (var i = 0; i < CloudPrices.Count; i++)
        {
            var price = CloudPrices[i];
            if (price.InputPerMillion < 0 || price.CachedInputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                problems.Add($"Cost:CloudPrices:{i} ({price.Name}) has a negative price");
            }
        }
        return problems;
    }
}

/// <summary>A cloud model's list price per million input, cached-input and output tokens, and when it was taken.</summary>
public sealed class CloudPrice
{
    public string Name { get; set; } = "";
    public double InputPerMillion { get; set; }
    public double CachedInputPerMillion { get; set; }
    public double OutputPerMillion { get; set; }
    public string AsOf { get; set; } = "";
}
