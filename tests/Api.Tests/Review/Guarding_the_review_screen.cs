using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocExtract.Api.Review;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DocExtract.Api.Tests.Review;

/// <summary>
/// What keeps the review screen safe: CSRF tokens on writes made with the session cookie, the Content-Security-Policy,
/// assets served from the box only, tenants kept apart, roles, and approvals by key and at the same moment.
/// </summary>
public sealed partial class Guarding_the_review_screen(ReviewFixture api) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task A_write_with_the_session_cookie_but_without_its_csrf_token_is_refused()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "CSRF-1");
        await using var context = await api.NewContextAsync();
        await SignInAsync(context, api.AdminKey);
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == ReviewSession.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain http on loopback: Secure is set when the request is https
        Assert.DoesNotContain(api.AdminKey.Split('_')[2], cookie.Value);

        var approve = await context.APIRequest.PostAsync($"/documents/{document.Id}/review",
            new() { DataObject = new { data = JsonDocument.Parse(ReviewSeed.Data).RootElement } });
        Assert.Equal(400, approve.Status);
        Assert.Contains(ReviewSession.CsrfHeader, (await approve.JsonAsync())!.Value.GetProperty("detail").GetString());
        var signOut = await context.APIRequest.PostAsync("/review/api/sign-out");
        Assert.Equal(400, signOut.Status);

        // With the token the same session may write.
        var session = (await (await context.APIRequest.GetAsync("/review/api/session")).JsonAsync())!.Value;
        var withToken = await context.APIRequest.PostAsync($"/documents/{document.Id}/review", new()
        {
            DataObject = new { data = JsonDocument.Parse(ReviewSeed.Data).RootElement },
            Headers = new Dictionary<string, string> { [ReviewSession.CsrfHeader] = session.GetProperty("csrfToken").GetString()! },
        });
        Assert.Equal(200, withToken.Status);
        await using var db = api.Database.CreateContext();
        Assert.Equal(DocumentStatus.Reviewed, (await db.Documents.AsNoTracking().SingleAsync(d => d.Id == document.Id)).Status);
    }

    [Fact]
    public async Task Every_review_response_carries_a_strict_csp_and_the_page_loads_nothing_from_elsewhere()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "CSP-1");
        await using var context = await api.NewContextAsync();
        var requests = new List<string>();
        context.Request += (_, request) => requests.Add(request.Url);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        var response = (await page.GotoAsync("/review"))!;
        var policy = (await response.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);

        var html = await response.TextAsync();
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineStyleOrHandler(), html);
        foreach (var asset in new[] { "/review/assets/review.js", "/review/assets/review.css", "/review/api/session" })
        {
            var headers = (await context.APIRequest.GetAsync(asset)).Headers;
            Assert.Equal(ReviewScreen.ContentSecurityPolicy, headers["content-security-policy"]);
        }

        // A whole pass (sign in, queue, a document with its page image, usage) asks this API for everything.
        await page.Locator("#api-key").FillAsync(api.AdminKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator($"#row-{document.Id}")).ToBeVisibleAsync();
        await page.GotoAsync($"/review#doc/{document.Id}");
        await page.WaitForFunctionAsync("() => document.querySelector('#page-image') && document.querySelector('#page-image').naturalWidth > 0");
        await page.GotoAsync("/review#usage");
        await Expect(page.Locator("svg.chart")).ToBeVisibleAsync();
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.StartsWith(api.Address.ToString().TrimEnd('/'), url));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Another_tenants_document_is_not_found_on_the_screen_or_through_its_endpoints()
    {
        var theirs = await ReviewSeed.NeedsReviewAsync(api, tenant: "other-firm", marker: "OTHER-1");
        await using var context = await api.NewContextAsync();
        var page = await SignInAsync(context, api.AdminKey);
        await Expect(page.Locator($"#row-{theirs.Id}")).ToHaveCountAsync(0);
        await page.GotoAsync($"/review#doc/{theirs.Id}");
        await Expect(page.Locator("#page-problem")).ToContainTextAsync($"no document with id {theirs.Id}");

        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/review/api/documents/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/documents/{theirs.Id}/pages/1/image")).StatusCode);
        var approve = await client.PostAsJsonAsync($"/documents/{theirs.Id}/review", new { data = JsonDocument.Parse(ReviewSeed.Data).RootElement });
        Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        await using var db = api.Database.CreateContext();
        Assert.Equal(DocumentStatus.NeedsReview, (await db.Documents.AsNoTracking().SingleAsync(d => d.Id == theirs.Id)).Status);
    }

    [Fact]
    public async Task A_submit_key_cannot_sign_in_and_a_bad_key_is_told_why()
    {
        var submit = await TestKeys.CreateAsync(api.Database.ConnectionString, Tenants.Default, ApiRoles.Submit);
        await using var context = await api.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/review");
        await page.Locator("#api-key").FillAsync(submit);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#sign-in-problem")).ToContainTextAsync("reviewing needs a key of role read or admin");
        await page.Locator("#api-key").FillAsync("dx_000000000000_nonsense");
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#sign-in-problem")).ToContainTextAsync("is not valid");
        Assert.Equal(401, (await context.APIRequest.GetAsync("/review/api/queue")).Status);
    }

    [Fact]
    public async Task A_key_approves_without_a_cookie_and_two_approvals_at_once_never_share_a_version()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "KEYAPI-1");
        using var client = api.CreateClient();
        var body = new { data = JsonDocument.Parse(ReviewSeed.Data).RootElement };
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PostAsJsonAsync($"/documents/{document.Id}/review", body)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{a.StatusCode}: {a.Content.ReadAsStringAsync().Result}"));
        var approved = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.True(approved >= 1);
        await using var db = api.Database.CreateContext();
        var versions = await db.Reviews.AsNoTracking().Where(r => r.DocumentId == document.Id).Select(r => r.Version).OrderBy(v => v).ToListAsync();
        Assert.Equal(Enumerable.Range(1, approved), versions);
        // Approving the model's data unchanged records no change.
        using var served = JsonDocument.Parse(await client.GetStringAsync($"/documents/{document.Id}/result"));
        Assert.Equal(0, served.RootElement.GetProperty("reviewed").GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task The_export_carries_the_approved_data_with_the_reviewed_status()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, tenant: "export-firm", marker: "EXP-1");
        using var client = await api.CreateClientAsync("export-firm", ApiRoles.Admin);
        var corrected = System.Text.Json.Nodes.JsonNode.Parse(ReviewSeed.Data)!;
        corrected["total"] = 54.0;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/documents/{document.Id}/review", new { data = corrected })).StatusCode);

        var line = (await client.GetStringAsync("/results?schema=invoice&format=ndjson")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("documentId").GetGuid() == document.Id);
        Assert.Equal("reviewed", line.GetProperty("status").GetString());
        Assert.Equal(54.0, line.GetProperty("data").GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task A_page_is_rendered_once_within_its_limits_and_served_from_the_cache()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "PNG-1");
        using var client = api.CreateClient();
        var tooSharp = await client.GetAsync($"/documents/{document.Id}/pages/1/image?dpi=1000");
        Assert.Equal(HttpStatusCode.BadRequest, tooSharp.StatusCode);
        Assert.Contains("Review:MaxPageDpi", await tooSharp.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/documents/{document.Id}/pages/3/image")).StatusCode);

        var png = await client.GetByteArrayAsync($"/documents/{document.Id}/pages/1/image?dpi=72");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var cached = Assert.Single(Directory.GetFiles(api.PageCacheDirectory, $"{document.FileSha256}-p1-72dpi.png"));
        File.WriteAllBytes(cached, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        Assert.Equal(7, (await client.GetByteArrayAsync($"/documents/{document.Id}/pages/1/image?dpi=72")).Length);
    }

    [Fact]
    public async Task The_queue_filters_by_type_and_reason_and_orders_by_age()
    {
        var older = await ReviewSeed.NeedsReviewAsync(api, tenant: "queue-firm", marker: "Q-OLD", createdAt: DateTimeOffset.UtcNow.AddDays(-2));
        var newer = await ReviewSeed.NeedsReviewAsync(api, tenant: "queue-firm", marker: "Q-NEW");
        using var client = await api.CreateClientAsync("queue-firm", ApiRoles.Read);

        using var oldest = JsonDocument.Parse(await client.GetStringAsync("/review/api/queue?order=oldest"));
        Assert.Equal([older.Id, newer.Id], oldest.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(["failed-rule", "low-confidence"], oldest.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        using var newest = JsonDocument.Parse(await client.GetStringAsync("/review/api/queue?order=newest&type=invoice&reason=low-confidence"));
        Assert.Equal([newer.Id, older.Id], newest.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        using var none = JsonDocument.Parse(await client.GetStringAsync("/review/api/queue?reason=contradicted"));
        Assert.Empty(none.RootElement.GetProperty("items").EnumerateArray());
        using var otherType = JsonDocument.Parse(await client.GetStringAsync("/review/api/queue?type=receipt"));
        Assert.Empty(otherType.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/review/api/queue?order=sideways")).StatusCode);
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/review");
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        return page;
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style|\sstyle=|\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();
}
