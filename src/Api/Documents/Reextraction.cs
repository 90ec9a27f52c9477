using DocExtract.Api.Audit;
using DocExtract.Operations.Outbox;
using DocExtract.Api.Security;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

public enum ReextractionOutcome
{
    Accepted,
    DocumentNotFound,
    /// <summary>The retention policy deleted the original: there is nothing left to extract from.</summary>
    OriginalDeleted,
    /// <summary>Another re-extraction of the same document committed between our read and our write.</summary>
    Raced,
}

public sealed record ReextractionResult(ReextractionOutcome Outcome, Extraction? Extraction);

/// <summary>
/// Runs extraction again over a stored document (#6): a new extraction id becomes the document's current one and its
/// command goes through the outbox like an upload's, in one transaction. Earlier extractions keep their results. One
/// still queued is marked replaced; one already running finishes and keeps its result, but cannot touch the
/// document any more (Document.CurrentExtractionId is a concurrency token the worker writes under).
/// </summary>
public sealed class Reextraction(
    DocExtractDbContext db, AuditLog audit, OutboxSignal outboxSignal, RabbitMqQueues queues, TimeProvider clock)
{
    public async Task<ReextractionResult> RequestAsync(
        Guid documentId, string schema, string? version, Caller caller, CancellationToken cancellationToken,
        string? language = null, string? sealedPassword = null)
    {
        var document = await db.Documents.FindVisibleAsync(caller, documentId, cancellationToken);
        if (document is null)
        {
            return new ReextractionResult(ReextractionOutcome.DocumentNotFound, null);
        }
        if (document.OriginalDeletedAt is not null)
        {
            return new ReextractionResult(ReextractionOutcome.OriginalDeleted, null);
        }

        var now = clock.GetUtcNow();
        var command = new ExtractDocument(document.Id, Guid.CreateVersion7(now), schema, version, document.TenantId, language, sealedPassword);
        var earlier = await db.Extractions.FirstOrDefaultAsync(e => e.Id == document.CurrentExtractionId, cancellationToken);
        var extraction = Extractions.Queued(document, command, now);
        document.QueueAgain(extraction, earlier, now);
        db.Extractions.Add(extraction);
        db.Outbox.Add(OutboxMessages.For(command, queues.ExtractQueue, now));
        try
        {
            // One transaction: document, both extractions, the command and the audit record commit together.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(AuditEntry.By(caller, AuditActions.Reextract, document.Id,
                new { extractionId = command.ExtractionId, schema, version }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ReextractionResult(ReextractionOutcome.Raced, null);
        }

        outboxSignal.Notify();
        return new ReextractionResult(ReextractionOutcome.Accepted, extraction);
    }
}
