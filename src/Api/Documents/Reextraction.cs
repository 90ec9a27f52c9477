using DocExtract.Api.Outbox;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

public enum ReextractionOutcome
{
    Accepted,
    DocumentNotFound,
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
public sealed class Reextraction(DocExtractDbContext db, OutboxSignal outboxSignal, RabbitMqQueues queues, TimeProvider clock)
{
    public async Task<ReextractionResult> RequestAsync(
        Guid documentId, string schema, string? version, string tenant, CancellationToken cancellationToken)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new ReextractionResult(ReextractionOutcome.DocumentNotFound, null);
        }

        var now = clock.GetUtcNow();
        var command = new ExtractDocument(document.Id, Guid.CreateVersion7(now), schema, version, tenant);
        var earlier = await db.Extractions.FirstOrDefaultAsync(e => e.Id == document.CurrentExtractionId, cancellationToken);
        if (earlier is { Status: DocumentStatus.Queued })
        {
            earlier.Status = DocumentStatus.Failed;
            earlier.FailureReason = $"replaced by extraction {command.ExtractionId} before it started";
            earlier.CompletedAt = now;
        }

        document.CurrentExtractionId = command.ExtractionId;
        document.RequestedSchema = schema;
        document.Status = DocumentStatus.Queued;
        document.FailureReason = null;
        document.Attempts = 0;
        document.StartedAt = null;
        document.CompletedAt = null;
        document.UpdatedAt = now;
        var extraction = Extractions.Queued(document, command, now);
        db.Extractions.Add(extraction);
        db.Outbox.Add(OutboxMessages.For(command, queues.ExtractQueue, now));
        try
        {
            // One SaveChanges is one transaction: document, both extractions and the command commit together.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ReextractionResult(ReextractionOutcome.Raced, null);
        }

        outboxSignal.Notify();
        return new ReextractionResult(ReextractionOutcome.Accepted, extraction);
    }
}
