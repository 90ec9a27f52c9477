using DocExtract.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DocExtract.Api.Tests.Review;

/// <summary>
/// The API on Kestrel (a browser needs a real socket) and one headless Debian chromium, driven by Playwright, for
/// the whole test class; each test opens a fresh browser context (its own cookies) in it. Playwright's own browser
/// download is never used: the browser is the distribution's /usr/bin/chromium (scripts/setup.sh installs it).
/// </summary>
public sealed class ReviewFixture : ApiFixture
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly string _scratch = Directory.CreateTempSubdirectory("docextract-review-").FullName;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        // A port of its own: test classes with this fixture run side by side.
        ["urls"] = "http://127.0.0.1:0",
        ["Review:KeysDirectory"] = Path.Combine(_scratch, "keys"),
        ["Review:PageCacheDirectory"] = Path.Combine(_scratch, "pages"),
    };

    /// <summary>The loopback address and port Kestrel listens on.</summary>
    public Uri Address => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    public string PageCacheDirectory => Path.Combine(_scratch, "pages");

    /// <summary>Where screenshots go: beside the test results (scripts/test.sh writes TestResults/ at the root).</summary>
    public static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(Repository.Root, "TestResults", "review-screenshots")).FullName;

    public override async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: scripts/setup.sh installs Debian's chromium package");
        }
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    /// <summary>A browser context of its own (cookies included) on the API.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new() { BaseURL = Address.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1400, Height = 900 } });

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }
}
