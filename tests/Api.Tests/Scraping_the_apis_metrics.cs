using DocExtract.TestSupport;

namespace DocExtract.Api.Tests;

/// <summary>
/// The API's gauges through OpenTelemetry's Prometheus exporter (issue #16), under the names dashboards query
/// (README, "Operations"); the worker's series are checked in Scraping_the_workers_metrics.
/// </summary>
public sealed class Scraping_the_apis_metrics(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Serves_the_document_and_outbox_gauges_in_text_format_0_0_4()
    {
        using var client = api.CreateClient();

        var (contentType, text) = await Eventually.WaitAsync<(string, string)?>(async () =>
        {
            using var response = await client.GetAsync("/metrics");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Contains("docextract_outbox_pending", StringComparison.Ordinal)
                ? (response.Content.Headers.ContentType!.ToString(), body)
                : null;
        }, TimeSpan.FromSeconds(30), "the API's first sample of PostgreSQL in /metrics") ?? default;

        Assert.StartsWith("text/plain", contentType);
        Assert.Contains("version=0.0.4", contentType);
        Assert.Contains("# TYPE docextract_documents gauge\n", text);
        Assert.Contains("# TYPE docextract_outbox_pending gauge\n", text);
        Assert.Matches("(?m)^docextract_documents\\{status=\"queued\"\\} 0$", text);
        Assert.Matches("(?m)^docextract_outbox_pending(\\{\\})? 0$", text);
        Assert.DoesNotContain("otel_scope", text);
        Assert.DoesNotContain("target_info", text);
    }
}
