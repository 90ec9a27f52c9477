using System.Net;
using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DocExtract.Api.Tests.Review;

/// <summary>
/// The review screen in a real browser (Debian's chromium through Playwright): sign in with a key, the queue, a
/// document's page with its evidence boxed, correcting and approving, and the same with the keyboard alone.
/// </summary>
public sealed class Reviewing_in_the_browser(ReviewFixture api, ITestOutputHelper output) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task Signing_in_shows_the_queue_and_selecting_a_field_boxes_it_on_the_page()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "BOX-1");
        await using var context = await api.NewContextAsync();
        var page = await SignInAsync(context, api.AdminKey);

        var row = page.Locator($"#row-{document.Id}");
        await Expect(row).ToContainTextAsync("invoice-BOX-1.pdf");
        await Expect(row).ToContainTextAsync("The model was unsure");
        await Expect(row).ToContainTextAsync("A check across fields failed");
        await row.Locator("a").ClickAsync();

        var image = page.Locator("#page-image");
        await Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#page-image').naturalWidth > 0");
        await Expect(page.Locator("#reasons")).ToContainTextAsync("below Llm:ReviewConfidence");
        await Expect(page.Locator("#rules")).ToContainTextAsync("total-is-subtotal-plus-tax: fail");
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("1 / 2");

        await page.Locator("[id='field-/total']").ClickAsync();
        var box = page.Locator(".box");
        await Expect(box).ToHaveCountAsync(1);
        var pageBounds = (await image.BoundingBoxAsync())!;
        var boxBounds = (await box.BoundingBoxAsync())!;
        Assert.InRange((boxBounds.X - pageBounds.X) / pageBounds.Width, ReviewSeed.TotalBox.X0 - 0.01, ReviewSeed.TotalBox.X0 + 0.01);
        Assert.InRange((boxBounds.Y - pageBounds.Y) / pageBounds.Height, ReviewSeed.TotalBox.Y0 - 0.01, ReviewSeed.TotalBox.Y0 + 0.01);
        Assert.InRange(boxBounds.Width / pageBounds.Width, ReviewSeed.TotalBox.X1 - ReviewSeed.TotalBox.X0 - 0.01, ReviewSeed.TotalBox.X1 - ReviewSeed.TotalBox.X0 + 0.01);
        await Expect(page.Locator(".field.selected")).ToHaveAttributeAsync("data-pointer", "/total");
        await ScreenshotAsync(page, "field-boxed");

        // A field without a box draws none; page two is one click away.
        await page.Locator("[id='field-/invoice_number']").ClickAsync();
        await Expect(box).ToHaveCountAsync(0);
        await page.Locator("#page-next").ClickAsync();
        await Expect(page.Locator("#page-number")).ToHaveTextAsync("2 / 2");
        await page.WaitForFunctionAsync("() => document.querySelector('#page-image').naturalWidth > 0");
        Assert.NotEmpty(Directory.GetFiles(api.PageCacheDirectory, $"{document.FileSha256}-p2-*.png"));
    }

    [Fact]
    public async Task Correcting_and_approving_stores_a_reviewed_version_audits_it_and_owes_the_webhook()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "FIX-1");
        await using var context = await api.NewContextAsync();
        var page = await SignInAsync(context, api.AdminKey);
        await page.GotoAsync($"/review#doc/{document.Id}");

        await page.Locator("[id='field-/total']").FillAsync("54");
        await page.Locator("[id='field-/issue_date']").FillAsync("2026-03-03");
        await page.Locator(".item[data-pointer='/line_items/1'] .remove-row").ClickAsync();
        await ScreenshotAsync(page, "corrected");
        await page.Locator("#approve").ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("as version 1");
        await Expect(page.Locator($"#row-{document.Id}")).ToHaveCountAsync(0);

        await using var db = api.Database.CreateContext();
        var stored = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == document.Id);
        Assert.Equal(DocumentStatus.Reviewed, stored.Status);
        Assert.Equal(DocumentStatus.Reviewed, (await db.Extractions.AsNoTracking().SingleAsync(e => e.Id == document.CurrentExtractionId)).Status);
        using var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.DocumentId == document.Id);
        Assert.Equal(1, review.Version);
        Assert.Equal(api.AdminKey.Split('_')[1], review.ReviewedBy);
        var changes = review.Changes.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!);
        Assert.Equal(45.0, changes["/total"].GetProperty("from").GetDouble());
        Assert.Equal(54.0, changes["/total"].GetProperty("to").GetDouble());
        Assert.Equal("2026-03-03", changes["/issue_date"].GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, changes["/line_items/1"].GetProperty("to").ValueKind);
        Assert.True(changes.Count == 3, $"changes: {review.Changes.RootElement.GetRawText()}");
        var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.DocumentId == document.Id && a.Action == AuditActions.Reviewed);
        Assert.Contains("/total", audit.Details);
        var webhook = await db.WebhookDeliveries.AsNoTracking().SingleAsync(w => w.DocumentId == document.Id);
        Assert.Contains("\"reviewed\"", webhook.Payload);

        // The model's output is untouched; the result served is the corrected one, saying so.
        using var client = api.CreateClient();
        using var served = JsonDocument.Parse(await client.GetStringAsync($"/documents/{document.Id}/result"));
        Assert.Equal(54.0, served.RootElement.GetProperty("data").GetProperty("total").GetDouble());
        Assert.Equal(1, served.RootElement.GetProperty("data").GetProperty("line_items").GetArrayLength());
        Assert.Equal(1, served.RootElement.GetProperty("reviewed").GetProperty("version").GetInt32());
        using var model = JsonDocument.Parse(await client.GetStringAsync($"/documents/{document.Id}/result?version=model"));
        Assert.Equal(45.0, model.RootElement.GetProperty("data").GetProperty("total").GetDouble());
        Assert.False(model.RootElement.TryGetProperty("reviewed", out _));
        Assert.Equal("reviewed", JsonDocument.Parse(await client.GetStringAsync($"/documents/{document.Id}")).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_value_the_schema_refuses_is_shown_beside_its_field_and_nothing_is_stored()
    {
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "BAD-1");
        await using var context = await api.NewContextAsync();
        var page = await SignInAsync(context, api.AdminKey);
        await page.GotoAsync($"/review#doc/{document.Id}");

        await page.Locator("[id='field-/iban']").FillAsync("DE89");
        await page.Locator("#approve").ClickAsync();
        var error = page.Locator(".field[data-pointer='/iban'] .field-error");
        await Expect(error).ToBeVisibleAsync();
        await ScreenshotAsync(page, "field-error");

        await using var db = api.Database.CreateContext();
        Assert.Equal(DocumentStatus.NeedsReview, (await db.Documents.AsNoTracking().SingleAsync(d => d.Id == document.Id)).Status);
        Assert.False(await db.Reviews.AnyAsync(r => r.DocumentId == document.Id));
    }

    [Fact]
    public async Task The_keyboard_alone_signs_in_opens_a_document_corrects_and_approves_it()
    {
        // Oldest first: seeded a year back, this document is the first row of the queue.
        var document = await ReviewSeed.NeedsReviewAsync(api, marker: "KEY-1", createdAt: DateTimeOffset.UtcNow.AddYears(-1));
        await using var context = await api.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/review");
        await Expect(page.Locator("#api-key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(api.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"#row-{document.Id}")).ToHaveAttributeAsync("aria-selected", "true");

        await page.Keyboard.PressAsync("j");
        await Expect(page.Locator($"#row-{document.Id}")).ToHaveAttributeAsync("aria-selected", "false");
        await page.Keyboard.PressAsync("k");
        await Expect(page.Locator($"#row-{document.Id}")).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");

        // The first field has the focus; Tab walks the fields to the total, whose box is drawn on focus.
        await Expect(page.Locator("[id='field-/invoice_number']")).ToBeFocusedAsync();
        for (var i = 0; i < 100 && !await page.Locator("[id='field-/total']").EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await Expect(page.Locator("[id='field-/total']")).ToBeFocusedAsync();
        await Expect(page.Locator(".box")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.TypeAsync("54");
        await ScreenshotAsync(page, "keyboard-only");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("as version 1");

        await using var db = api.Database.CreateContext();
        using var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.DocumentId == document.Id);
        Assert.Equal(54.0, review.Data.RootElement.GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task Revoking_the_key_ends_its_session()
    {
        var key = await TestKeys.CreateAsync(api.Database.ConnectionString, Tenants.Default, ApiRoles.Read);
        await using var context = await api.NewContextAsync();
        var page = await SignInAsync(context, key);
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)(await context.APIRequest.GetAsync("/review/api/queue")).Status);

        await using (var db = api.Database.CreateContext())
        {
            var id = key.Split('_')[1];
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (HttpStatusCode)(await context.APIRequest.GetAsync("/review/api/queue")).Status);
        await page.ReloadAsync();
        await Expect(page.Locator("#api-key")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_usage_page_charts_the_cost_report_for_an_admin_only()
    {
        await using var admin = await api.NewContextAsync();
        var page = await SignInAsync(admin, api.AdminKey);
        await page.GotoAsync("/review#usage");
        await Expect(page.Locator("svg.chart rect")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#usage-figures")).ToContainTextAsync("Documents");
        await ScreenshotAsync(page, "usage");

        var key = await TestKeys.CreateAsync(api.Database.ConnectionString, Tenants.Default, ApiRoles.Read);
        await using var reader = await api.NewContextAsync();
        var readerPage = await SignInAsync(reader, key);
        await Expect(readerPage.Locator("#nav-usage")).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (HttpStatusCode)(await reader.APIRequest.GetAsync("/review/api/usage/report")).Status);
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, string key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/review");
        await page.Locator("#api-key").FillAsync(key);
        await page.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        await Expect(page.Locator("#queue, #queue-empty")).ToBeVisibleAsync();
        return page;
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ReviewFixture.ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
