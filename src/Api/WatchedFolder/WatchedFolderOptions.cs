namespace DocExtract.Api.WatchedFolder;

public sealed class WatchedFolderOptions
{
    public const string Section = "WatchedFolder";

    /// <summary>
    /// The folder that holds inbox/, processed/, failed/ and duplicates/ (created at start); empty turns the
    /// watched folder off.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>How long a file's size and modification time must stay the same before it is taken.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the inbox is listed even without file-system events: events do not fire on NFS or SMB shares,
    /// and a watcher's buffer can overflow.
    /// </summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Leave files in the inbox instead of moving them, and keep their fate in the watched_files ledger (path, size,
    /// modification time, SHA-256) so none is taken twice, also across restarts.
    /// </summary>
    public bool KeepOriginals { get; set; }

    /// <summary>The tenant that owns every document dropped into this folder (issue #7).</summary>
    public string Tenant { get; set; } = Persistence.Tenancy.Tenants.Default;

    /// <summary>
    /// The OCR languages of scans dropped here (eng+fra, #14); unset: the folder tenant's Tenants:&lt;slug&gt;:OcrLanguages,
    /// else the worker chooses from the scan.
    /// </summary>
    public string? OcrLanguages { get; set; }

    public string Inbox => System.IO.Path.Combine(Path!, "inbox");

    public string Processed => System.IO.Path.Combine(Path!, "processed");

    public string Failed => System.IO.Path.Combine(Path!, "failed");

    public string Duplicates => System.IO.Path.Combine(Path!, "duplicates");
}
