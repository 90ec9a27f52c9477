namespace DocExtract.Api.Review;

/// <summary>The review screen's settings (issue #13; docs/review.md).</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>How long a sign-in lasts; the key is still checked on every request, so revoking it ends the session at once.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Where the data-protection keys that seal session cookies and CSRF tokens are kept. Every API instance must see
    /// the same folder (a shared volume), or a cookie made by one is refused by the next; kept across restarts, so a
    /// restart signs nobody out.
    /// </summary>
    public string KeysDirectory { get; set; } = Path.Combine(".data", "review-keys");

    /// <summary>Where rendered page images are kept; one file per document file, page and resolution.</summary>
    public string PageCacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "docextract-pages");

    /// <summary>The most the page cache may hold; the least recently used images go first.</summary>
    public long PageCacheMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>The resolution a page is rendered at when the request names none.</summary>
    public int PageDpi { get; set; } = 100;

    /// <summary>The highest resolution a page may be asked for (zooming in further scales the image).</summary>
    public int MaxPageDpi { get; set; } = 200;

    /// <summary>The most documents the queue lists at once (the oldest or newest first, as asked).</summary>
    public int QueueSize { get; set; } = 200;

    public IEnumerable<string> Problems()
    {
        if (SessionLifetime <= TimeSpan.Zero)
        {
            yield return "Review:SessionLifetime must be positive (e.g. 08:00:00)";
        }
        if (string.IsNullOrWhiteSpace(KeysDirectory))
        {
            yield return "Review:KeysDirectory must name a folder every API instance shares";
        }
        if (PageCacheMaxBytes < 1024 * 1024)
        {
            yield return "Review:PageCacheMaxBytes must be at least 1048576 (1 MB)";
        }
        if (MaxPageDpi is < 36 or > 600 || PageDpi < 36 || PageDpi > MaxPageDpi)
        {
            yield return "Review:PageDpi and Review:MaxPageDpi must lie between 36 and 600, PageDpi not above MaxPageDpi";
        }
        if (QueueSize < 1)
        {
            yield return "Review:QueueSize must be at least 1";
        }
    }
}
