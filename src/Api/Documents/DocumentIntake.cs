using System.Security.Cryptography;
using DocExtract.Api.Audit;
using DocExtract.Api.Security;
using DocExtract.Contracts;
using DocExtract.Operations.Outbox;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

public sealed record Upload(byte[] Content, string FileName, string Schema, string? IdempotencyKey, string Source, Uploader By)
{
    /// <summary>The completion webhook asked for with the upload (issue #6), already checked against the allow-list.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The OCR languages of a scan (the upload's `language`, else its tenant's default); null: chosen from the scan.</summary>
    public string? Language { get; init; }

    /// <summary>The PDF's password, sealed with Secrets:KeyFile (#14); the password itself is never kept.</summary>
    public string? SealedPassword { get; init; }
}

/// <summary>Who uploads, for the document's tenant and owner and for the audit record of the upload.</summary>
public sealed record Uploader(string TenantId, string Actor, string? KeyId, string? Remote)
{
    public static Uploader From(Caller caller) => new(caller.TenantId, caller.Actor, caller.KeyId, caller.Remote);

    public static Uploader WatchedFolder(string tenantId) => new(tenantId, DocumentSources.WatchedFolder, null, null);
}

public enum IntakeOutcome
{
    Accepted,
    /// <summary>The Idempotency-Key was seen before with the same file: the earlier document is returned.</summary>
    Replayed,
    /// <summary>The Idempotency-Key was seen before with a different file.</summary>
    KeyReused,
}

public sealed record IntakeResult(IntakeOutcome Outcome, Document Document);

/// <summary>
/// Accept -> store -> enqueue, shared by POST /documents and the watched folder. The file, the document row
/// and the ExtractDocument command are written in one transaction; the relay sends the command afterwards.
/// An Idempotency-Key belongs to the API key that sent it (the watched folder's to the folder): another key of the
/// same tenant sending the same Idempotency-Key makes a document of its own and learns nothing of the other's (issue #15).
/// </summary>
public sealed partial class DocumentIntake(
    DocExtractDbContext db, AuditLog audit, OutboxSignal outboxSignal, RabbitMqQueues queues, TimeProvider clock, ILogger<DocumentIntake> logger)
{
    public async Task<IntakeResult> AcceptAsync(Upload upload, CancellationToken cancellationToken)
    {
        var by = upload.By;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (upload.IdempotencyKey is { } key)
        {
            // Requests with one key wait for each other here, so the one that comes second (or loses a race) finds
            // the first's document instead of failing on the unique index with an error logged for nothing.
            await db.LockIdempotencyKeyAsync(by.TenantId, by.KeyId, key, cancellationToken);
            if (await FindByKeyAsync(by, key, cancellationToken) is { } earlier)
            {
                await transaction.RollbackAsync(cancellationToken);
                LogReplayed(logger, earlier.Id);
                return Replay(earlier, upload);
            }
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        var now = clock.GetUtcNow();
        var document = new Document
        {
            Id = Guid.CreateVersion7(now),
            TenantId = by.TenantId,
            SubmittedByKeyId = by.KeyId,
            FileSha256 = sha256,
            FileName = upload.FileName,
            SizeBytes = upload.Content.LongLength,
            RequestedSchema = upload.Schema,
            Status = DocumentStatus.Queued,
            CurrentExtractionId = Guid.CreateVersion7(now),
            IdempotencyKey = upload.IdempotencyKey,
            CallbackUrl = upload.CallbackUrl,
            Source = upload.Source,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var command = new ExtractDocument(document.Id, document.CurrentExtractionId, upload.Schema, Tenant: upload.By.TenantId, Language: upload.Language,
            SealedPassword: upload.SealedPassword);

        await db.LockFileAsync(sha256, cancellationToken);
        // Content-addressed: the same bytes uploaded twice are stored once, and a stored file is never rewritten.
        await db.InsertFileIfAbsentAsync(sha256, upload.Content, now, cancellationToken);
        db.Documents.Add(document);
        db.Extractions.Add(Extractions.Queued(document, command, now));
        db.Outbox.Add(OutboxMessages.For(command, queues.ExtractQueue, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(new AuditEntry(by.TenantId, by.Actor, by.KeyId, AuditActions.Upload, document.Id, by.Remote,
                new { document.FileName, sha256, document.SizeBytes, schema = upload.Schema, source = upload.Source }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && upload.IdempotencyKey is { } raced)
        {
            // Not expected under the lock above; should it happen, answer as if this request came second.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await FindByKeyAsync(by, raced, cancellationToken)
                ?? throw new InvalidOperationException("unique violation on the idempotency key, but no row holds it");
            LogReplayed(logger, winner.Id);
            return Replay(winner, upload);
        }

        outboxSignal.Notify();
        return new IntakeResult(IntakeOutcome.Accepted, document);
    }

    private Task<Document?> FindByKeyAsync(Uploader by, string key, CancellationToken cancellationToken) =>
        db.Documents.AsNoTracking().FirstOrDefaultAsync(
            d => d.TenantId == by.TenantId && d.SubmittedByKeyId == by.KeyId && d.IdempotencyKey == key, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency-Key seen before (a retry, or the loser of a race): answered with document {DocumentId}")]
    private static partial void LogReplayed(ILogger logger, Guid documentId);

    private static IntakeResult Replay(Document earlier, Upload upload)
    {
        var sameFile = earlier.FileSha256 == Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        return new IntakeResult(sameFile ? IntakeOutcome.Replayed : IntakeOutcome.KeyReused, earlier);
    }
}

public static class Extractions
{
    public static Extraction Queued(Document document, ExtractDocument command, DateTimeOffset now) => new()
    {
        Id = command.ExtractionId,
        DocumentId = document.Id,
        RequestedSchema = command.Schema,
        RequestedVersion = command.SchemaVersion,
        Status = DocumentStatus.Queued,
        CreatedAt = now,
    };
}
