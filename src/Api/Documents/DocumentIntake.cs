using System.Security.Cryptography;
using System.Text.Json;
using DocExtract.Api.Outbox;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

public sealed record Upload(byte[] Content, string FileName, string Schema, string? IdempotencyKey, string Source)
{
    /// <summary>The completion webhook asked for with the upload (issue #6), already checked against the allow-list.</summary>
    public string? CallbackUrl { get; init; }
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
/// </summary>
public sealed class DocumentIntake(DocExtractDbContext db, OutboxSignal outboxSignal, RabbitMqQueues queues, TimeProvider clock)
{
    public async Task<IntakeResult> AcceptAsync(Upload upload, CancellationToken cancellationToken)
    {
        if (upload.IdempotencyKey is { } key && await FindByKeyAsync(key, cancellationToken) is { } earlier)
        {
            return Replay(earlier, upload);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        var now = clock.GetUtcNow();
        var document = new Document
        {
            Id = Guid.CreateVersion7(now),
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
        var command = new ExtractDocument(document.Id, document.CurrentExtractionId, upload.Schema);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Content-addressed: the same bytes uploaded twice are stored once, and a stored file is never rewritten.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO files (sha256, content, size_bytes, created_at) VALUES ({sha256}, {upload.Content}, {upload.Content.LongLength}, {now}) ON CONFLICT (sha256) DO NOTHING",
            cancellationToken);
        db.Documents.Add(document);
        db.Outbox.Add(OutboxMessages.For(command, queues.ExtractQueue, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation() && upload.IdempotencyKey is { } raced)
        {
            // Two requests with one key raced; the other one won. Answer as if this one came second.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await FindByKeyAsync(raced, cancellationToken)
                ?? throw new InvalidOperationException("unique violation on the idempotency key, but no row holds it");
            return Replay(winner, upload);
        }

        outboxSignal.Notify();
        return new IntakeResult(IntakeOutcome.Accepted, document);
    }

    private Task<Document?> FindByKeyAsync(string key, CancellationToken cancellationToken) =>
        db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.IdempotencyKey == key, cancellationToken);

    private static IntakeResult Replay(Document earlier, Upload upload)
    {
        var sameFile = earlier.FileSha256 == Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        return new IntakeResult(sameFile ? IntakeOutcome.Replayed : IntakeOutcome.KeyReused, earlier);
    }
}

public static class OutboxMessages
{
    public static OutboxMessage For(ExtractDocument command, string destination, DateTimeOffset now) => new()
    {
        MessageId = command.ExtractionId,
        Destination = destination,
        MessageType = nameof(ExtractDocument),
        Payload = JsonSerializer.Serialize(command),
        CreatedAt = now,
    };
}
