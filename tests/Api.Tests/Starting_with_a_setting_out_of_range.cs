using DocExtract.Api.Documents;
using DocExtract.Api.Metrics;
using DocExtract.Api.Retention;
using DocExtract.Api.Review;
using DocExtract.Api.Usage;
using DocExtract.Contracts;
using DocExtract.Operations.Evaluations;
using DocExtract.Operations.Management;
using DocExtract.Operations.Outbox;
using DocExtract.Operations.Settings;
using DocExtract.Schemas;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DocExtract.Api.Tests;

/// <summary>Every section's settings are checked when the API starts (#16): one out of range stops it, naming the setting.</summary>
public sealed class Starting_with_a_setting_out_of_range
{
    private static IReadOnlyList<string> Problems<T>(string section, T options) where T : class =>
        new SettingsValidation<T>(section).Problems(options);

    [Fact]
    public void Each_failure_names_the_setting_its_range_and_its_value()
    {
        Assert.Equal(
            ["TextExtraction:ToolTimeout must be between 00:00:00.001 and 49.17:02:47.294, not 00:00:00",
             "TextExtraction:MaxPageImageBytes must be at least 1, not -5"],
            Problems("TextExtraction", new PageToolOptions { ToolTimeout = TimeSpan.Zero, MaxPageImageBytes = -5 }));
        Assert.Equal(["Api:UploadsPerMinute must be at least 0, not -1"], Problems(ApiOptions.Section, new ApiOptions { UploadsPerMinute = -1 }));
    }

    [Fact]
    public void A_trusted_proxy_must_be_an_address_or_a_network()
    {
        Assert.Equal(["Api:TrustedProxies:1 must be an IP address (10.0.0.5) or network (10.0.0.0/24), not 'proxy.local'"],
            Problems(ApiOptions.Section, new ApiOptions { TrustedProxies = ["10.0.0.5", "proxy.local", "10.0.0.0/24", "fd00::/8"] }));
    }

    [Fact]
    public void Zero_stays_allowed_where_it_means_no_limit()
    {
        Assert.Empty(Problems(ApiOptions.Section, new ApiOptions { UploadsPerMinute = 0 }));
    }

    [Fact]
    public void The_defaults_of_every_api_section_pass()
    {
        Assert.Empty(Problems(ApiOptions.Section, new ApiOptions()));
        Assert.Empty(Problems(SchemaLimits.Section, new SchemaLimits()));
        Assert.Empty(Problems(OutboxOptions.Section, new OutboxOptions()));
        Assert.Empty(Problems(MetricsOptions.Section, new MetricsOptions()));
        Assert.Empty(Problems("TextExtraction", new PageToolOptions()));
        Assert.Empty(Problems(RetentionOptions.Section, new RetentionOptions()));
        Assert.Empty(Problems(CostOptions.Section, new CostOptions()));
        Assert.Empty(Problems(EvaluationOptions.Section, new EvaluationOptions()));
        Assert.Empty(Problems(OcrLanguageOptions.Section, new OcrLanguageOptions()));
        Assert.Empty(Problems(ReviewOptions.Section, new ReviewOptions()));
        Assert.Empty(Problems(ManagementOptions.Section, new ManagementOptions()));
    }

    [Fact]
    public async Task The_api_refuses_to_start_naming_the_setting()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Postgres", "Host=localhost;Database=never_opened");
            host.UseSetting("Outbox:PollInterval", "00:00:00");
        });

        var refusal = Record.Exception(() => factory.Server);

        Assert.NotNull(refusal);
        Assert.Contains("Outbox:PollInterval must be between 00:00:00.001 and 49.17:02:47.294, not 00:00:00", refusal.ToString(), StringComparison.Ordinal);
    }
}
