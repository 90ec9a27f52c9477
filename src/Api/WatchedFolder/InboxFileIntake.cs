using System.Security.Cryptography;
using System.Text;
using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Schemas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.WatchedFolder;

public enum InboxFate
{
    Processed,
    Failed,
    Duplicate,
}

/// <summary>What became of one inbox file; Skipped when the ledger already had it, unchanged.</summary>
public sealed record InboxOutcome(InboxFate Fate, Guid? DocumentId, string? Reason, bool Skipped = false);

/// <summary>
/// One complete inbox file through DocumentIntake, as POST /documents would take it, then its fate shown: moved to
/// processed/, failed/ or duplicates/ with a note beside it, or, with KeepOriginals, written to the ledger. Either
/// happens only after the bytes are committed in PostgreSQL. The idempotency key is the hash of the inbox path and
/// of the bytes, so a file found again after a crash between commit and move (or ledger row) is recognised as
/// stored and only settled; the same bytes under another path are a duplicate.
/// </summary>
public sealed partial class InboxFileIntake(
    DocumentIntake intake,
    DocExtractDbContext db,
    SchemaCatalog schemas,
    IOptions<WatchedFolderOptions> folders,
    IOptions<ApiOptions> api,
    TenantLimits limits,
    IOptions<OcrLanguageOptions> ocr,
    TimeProvider clock,
    ILogger<InboxFileIntake> logger)
{
    /// <summary>What became of the file; null when it is not a regular file inside the inbox (any more), and is left alone.</summary>
    public async Task<InboxOutcome?> TakeAsync(string path, CancellationToken cancellationToken)
    {
        var settings = folders.Value;
        if (!InboxScanner.IsPlainFileInside(settings.Inbox, path))
        {
            return null;
        }
        var relative = Path.GetRelativePath(settings.Inbox, path);
        var file = new FileInfo(path);
        var ledger = settings.KeepOriginals ? await db.WatchedFiles.FirstOrDefaultAsync(f => f.Path == relative, cancellationToken) : null;
        if (ledger is not null && ledger.SizeBytes == file.Length && ledger.ModifiedAt == Modified(file))
        {
            return new InboxOutcome(Enum.Parse<InboxFate>(ledger.Fate, ignoreCase: true), ledger.DocumentId, ledger.Reason, Skipped: true);
        }

        var outcome = await DecideAsync(path, relative, file.Length, cancellationToken);
        if (settings.KeepOriginals)
        {
            await RecordAsync(ledger, relative, file, outcome, cancellationToken);
        }
        else
        {
            await MoveAsync(path, relative, outcome, cancellationToken);
        }
        Log(relative, outcome);
        return outcome.Result;
    }

    private sealed record Decision(InboxOutcome Result, string Sha256, bool Replayed = false);

    private async Task<Decision> DecideAsync(string path, string relative, long size, CancellationToken cancellationToken)
    {
        if (size == 0)
        {
            return Failed("the file is empty (0 bytes)", Hash([]));
        }
        if (size > api.Value.MaxUploadBytes)
        {
            await using var stream = File.OpenRead(path);
            return Failed($"the file is {size} bytes; the limit is {api.Value.MaxUploadBytes} (Api:MaxUploadBytes)",
                Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)));
        }
        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        var sha256 = Hash(content);
        if (!PdfSniffer.LooksLikePdf(content))
        {
            return Failed($"the file is not a PDF: it {PdfSniffer.Describe(content)}", sha256);
        }
        var schema = await SchemaOfAsync(relative, cancellationToken);
        if (schema.Error is not null)
        {
            return Failed(schema.Error, sha256);
        }

        var key = $"watched-folder:{Hash(Encoding.UTF8.GetBytes(relative))}:{sha256}";
        var tenant = folders.Value.Tenant;
        var earlier = await db.Documents.AsNoTracking()
            .Where(d => d.TenantId == tenant && d.FileSha256 == sha256 && d.IdempotencyKey != key)
            .OrderBy(d => d.CreatedAt).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken);
        if (earlier is { } original && !await db.Documents.AnyAsync(d => d.TenantId == tenant && d.SubmittedByKeyId == null && d.IdempotencyKey == key, cancellationToken))
        {
            return new Decision(new InboxOutcome(InboxFate.Duplicate, original, $"the same bytes (SHA-256 {sha256}) are already document {original}"), sha256);
        }

        var result = await intake.AcceptAsync(
            new Upload(content, UploadReader.SafeFileName(path), schema.Name!, key, DocumentSources.WatchedFolder, Uploader.WatchedFolder(tenant))
            {
                // The folder's languages, else its tenant's; checked against the installed packs at start (#14).
                Language = ocr.Value.Check(folders.Value.OcrLanguages ?? limits.For(tenant).OcrLanguages).Languages,
            },
            cancellationToken);
        return new Decision(new InboxOutcome(InboxFate.Processed, result.Document.Id, null), sha256, result.Outcome == IntakeOutcome.Replayed);

        static Decision Failed(string reason, string sha256) => new(new InboxOutcome(InboxFate.Failed, null, reason), sha256);
    }

    /// <summary>The document type from the first folder under the inbox; files directly in it are `auto`.</summary>
    private async Task<(string? Name, string? Error)> SchemaOfAsync(string relative, CancellationToken cancellationToken)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        if (parts.Length == 1)
        {
            return (DocumentTypeName.Auto, null);
        }
        var name = parts[0].ToLowerInvariant();
        var types = await schemas.GetSnapshotAsync(cancellationToken);
        if (name == DocumentTypeName.Auto || types.Find(name) is not null)
        {
            return (name, null);
        }
        // A typo in a folder name should not quietly turn into `auto`: the person sees it in failed/.
        var known = string.Join(", ", types.Schemas.Select(s => s.Name));
        return (null, $"unknown document type '{parts[0]}' (the inbox subfolder): use 'auto' or one of {known}");
    }

    private async Task MoveAsync(string path, string relative, Decision decision, CancellationToken cancellationToken)
    {
        var settings = folders.Value;
        var (fate, id, reason) = (decision.Result.Fate, decision.Result.DocumentId, decision.Result.Reason);
        var (folder, prefix, note, text) = fate switch
        {
            InboxFate.Processed => (settings.Processed, $"{id}_", ".docextract-id", $"{id}\n"),
            InboxFate.Duplicate => (settings.Duplicates, "", ".duplicate-of.txt", $"{reason}\n"),
            _ => (settings.Failed, "", ".error.txt", $"{reason}\n"),
        };
        var directory = Path.Combine(folder, Path.GetDirectoryName(relative) ?? "");
        Directory.CreateDirectory(directory);
        var name = Path.GetFileName(path);
        var target = Path.Combine(directory, FolderName(prefix, name, "", note));
        for (var n = 2; File.Exists(target); n++)
        {
            target = Path.Combine(directory, FolderName(prefix, name, $" ({n})", note));
        }
        // The note first: a file that reached its folder always has its note beside it.
        await File.WriteAllTextAsync(target + note, text, cancellationToken);
        File.Move(path, target);
    }

    /// <summary>Longest file name, in UTF-8 bytes, that Linux file systems (ext4, XFS, btrfs) take.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// <paramref name="prefix"/> + the name + <paramref name="suffix"/>, its stem shortened so that the name with its
    /// note (".docextract-id", ".error.txt") fits <see cref="MaxNameBytes"/>: a name that fits the inbox can be 37 bytes
    /// too long once the document id is put before it (issue #15). The id prefix and the extension are always kept.
    /// </summary>
    public static string FolderName(string prefix, string name, string suffix, string note)
    {
        var extension = Path.GetExtension(name);
        var stem = Path.GetFileNameWithoutExtension(name);
        var room = MaxNameBytes - Encoding.UTF8.GetByteCount(prefix + suffix + extension + note);
        if (Encoding.UTF8.GetByteCount(extension) > MaxNameBytes / 4)
        {
            // A long "extension" is no extension: shorten the name as a whole.
            (stem, extension) = (name, "");
            room = MaxNameBytes - Encoding.UTF8.GetByteCount(prefix + suffix + note);
        }
        return prefix + Shorten(stem, room) + suffix + extension;
    }

    private static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        // Cut on a text element boundary, so no surrogate pair or combining sequence is split.
        var cut = new StringBuilder();
        var bytes = 0;
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            bytes += Encoding.UTF8.GetByteCount(element);
            if (bytes > maxBytes)
            {
                break;
            }
            cut.Append(element);
        }
        return cut.ToString();
    }

    private async Task RecordAsync(WatchedFile? row, string relative, FileInfo file, Decision decision, CancellationToken cancellationToken)
    {
        if (row is null)
        {
            row = new WatchedFile { Path = relative, Sha256 = decision.Sha256, Fate = "" };
            db.WatchedFiles.Add(row);
        }
        row.SizeBytes = file.Length;
        row.ModifiedAt = Modified(file);
        row.Sha256 = decision.Sha256;
        row.Fate = decision.Result.Fate.ToString().ToLowerInvariant();
        row.DocumentId = decision.Result.DocumentId;
        row.Reason = decision.Result.Reason;
        row.TakenAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Log(string relative, Decision decision)
    {
        var result = decision.Result;
        switch (result.Fate)
        {
            case InboxFate.Processed:
                LogTaken(logger, relative, result.DocumentId!.Value, decision.Replayed ? " (stored before a restart; settled now)" : "");
                break;
            case InboxFate.Duplicate:
                LogDuplicate(logger, relative, result.DocumentId!.Value);
                break;
            default:
                LogFailed(logger, relative, result.Reason!);
                break;
        }
    }

    // PostgreSQL keeps microseconds, the file system 100 ns ticks: compare what the ledger can hold.
    private static DateTimeOffset Modified(FileInfo file)
    {
        var ticks = file.LastWriteTimeUtc.Ticks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [LoggerMessage(Level = LogLevel.Information, Message = "Watched folder: {File} stored as document {DocumentId}{Note}")]
    private static partial void LogTaken(ILogger logger, string file, Guid documentId, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watched folder: {File} is a duplicate of document {DocumentId}")]
    private static partial void LogDuplicate(ILogger logger, string file, Guid documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watched folder: {File} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string file, string reason);
}
