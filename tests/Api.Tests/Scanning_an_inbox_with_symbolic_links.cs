using DocExtract.Api.WatchedFolder;

namespace DocExtract.Api.Tests;

/// <summary>
/// Real symbolic links in a real inbox (issue #15): a link to a file or a folder outside, and a link loop, are never
/// offered, never walked, and each is logged once however often the inbox is scanned.
/// </summary>
public sealed class Scanning_an_inbox_with_symbolic_links : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("docextract-links-").FullName;
    private readonly ListLogger _log = new();

    private string Inbox => Path.Combine(_root, "inbox");
    private string Outside => Path.Combine(_root, "elsewhere");

    public Scanning_an_inbox_with_symbolic_links()
    {
        Directory.CreateDirectory(Path.Combine(Inbox, "invoice"));
        Directory.CreateDirectory(Path.Combine(Outside, "private"));
        File.WriteAllText(Path.Combine(Outside, "payroll.pdf"), "%PDF-1.7 outside");
        File.WriteAllText(Path.Combine(Outside, "private", "secret.pdf"), "%PDF-1.7 outside, in a folder");
        File.WriteAllText(Path.Combine(Inbox, "invoice", "real.pdf"), "%PDF-1.7 inside");
        File.CreateSymbolicLink(Path.Combine(Inbox, "linked.pdf"), Path.Combine(Outside, "payroll.pdf"));
        Directory.CreateSymbolicLink(Path.Combine(Inbox, "invoice", "linked-folder"), Path.Combine(Outside, "private"));
        Directory.CreateSymbolicLink(Path.Combine(Inbox, "loop"), Inbox);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Only_the_regular_file_inside_is_offered_and_no_link_is_followed()
    {
        var scanner = new InboxScanner(Inbox, TimeSpan.Zero, TimeProvider.System, _log);

        scanner.Scan();
        var (ready, _) = scanner.Scan();

        Assert.Equal([Path.Combine(Inbox, "invoice", "real.pdf")], ready);
    }

    [Fact]
    public void Each_link_is_logged_once_across_rescans_and_again_once_made_anew()
    {
        var scanner = new InboxScanner(Inbox, TimeSpan.Zero, TimeProvider.System, _log);

        for (var pass = 0; pass < 3; pass++)
        {
            scanner.Scan();
        }

        Assert.Equal(
            [Path.Combine("invoice", "linked-folder"), "linked.pdf", "loop"],
            _log.Warnings.Select(w => w.Split(' ')[2]).Order(StringComparer.Ordinal));
        Assert.All(_log.Warnings, w => Assert.Contains("is a symbolic link and is not taken", w, StringComparison.Ordinal));

        File.Delete(Path.Combine(Inbox, "linked.pdf"));
        scanner.Scan();
        File.CreateSymbolicLink(Path.Combine(Inbox, "linked.pdf"), Path.Combine(Outside, "payroll.pdf"));
        scanner.Scan();
        Assert.Equal(4, _log.Warnings.Count);
    }

    [Fact]
    public void A_file_behind_a_linked_folder_or_a_link_itself_is_not_a_plain_file_of_the_inbox()
    {
        Assert.True(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Inbox, "invoice", "real.pdf")));
        Assert.False(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Inbox, "linked.pdf")));
        Assert.False(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Inbox, "invoice", "linked-folder", "secret.pdf")));
        Assert.False(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Inbox, "loop", "invoice", "real.pdf")));
        Assert.False(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Outside, "payroll.pdf")));
        Assert.False(InboxScanner.IsPlainFileInside(Inbox, Path.Combine(Inbox, "..", "elsewhere", "payroll.pdf")));
    }
}
