using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using DocExtract.Contracts;
using DocExtract.Operations.Outbox;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using DocExtract.Persistence.Results;
using ExtractionRun = DocExtract.Persistence.Entities.Extraction;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Worker.Processing;

/// <summary>
/// The cascade of local models (#12): a tier that is not the last passes a result its review policy doubts to the
/// next tier instead of finishing the document. The attempt, its usage row and the next tier's command commit in one
/// transaction (the outbox, relayed by this worker as by the API), and the extraction's tier rises with them, so a
/// redelivered command of the earlier tier is dropped instead of escalating twice.
/// </summary>
public sealed partial class DocumentProcessor
{
    /// <summary>Whether the extraction has moved on to a later tier than this worker's (a redelivered earlier message).</summary>
    private bool LeftBehind(ExtractionRun? extraction)
    {
        if (extraction is null || extraction.Tier <= cascade.Tier)
        {
            return false;
        }
        LogDropped(logger, $"it was escalated to tier {extraction.Tier} already (redelivered message of tier {cascade.Tier})");
        return true;
    }

    /// <summary>
    /// Sends the document to the next tier when its review reasons call for it; false when the result stands (this is
    /// the last tier, nothing escalates, or a re-extraction replaced this run meanwhile and it only keeps its result).
    /// </summary>
    private async Task<bool> EscalatedAsync(
        Document document, ExtractionRun? extraction, ExtractDocument command, ResultContent content, CancellationToken cancellationToken)
    {
        var reasons = cascade.Escalating(content.Schema, content.Route, content.Review);
        // A document queued before extractions were recorded has no row to carry its tier: its first tier's result stands.
        if (extraction is null || reasons.Count == 0 || cascade.NextQueue is not { } next)
        {
            return false;
        }

        var persist = Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.LockCurrentExtractionIdAsync(document.Id, cancellationToken);
        if (current is not [var still] || still != document.CurrentExtractionId)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        var now = clock.GetUtcNow();
        var used = usage.Add(db, document, content);
        document.Escalate(extraction, cascade.Tier + 1, JsonSerializer.Serialize<IReadOnlyList<TierAttempt>>(
            [.. AttemptsBefore(extraction), TierAttempt.Of(used, content, TierAttempt.Escalated, reasons)], ResultContent.Json), now);
        db.Outbox.Add(OutboxMessages.For(command, MessageId(command.ExtractionId, extraction.Tier), next, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another delivery of the same command escalated it first (the usage row of this tier exists): that one stands.
            LogDropped(logger, "another delivery escalated it first");
            return true;
        }
        outboxSignal.Notify();
        metrics.Escalated(cascade.Tier, content.Schema);
        LogEscalated(logger, cascade.Tier, extraction.Tier, next, string.Join(", ", reasons.Select(r => r.Kind).Distinct()));
        await usage.CommittedAsync(db, used, persist.Elapsed, cancellationToken);
        return true;
    }

    /// <summary>The result with every tier's attempt, this last one included; unchanged where only one tier is configured.</summary>
    private ResultContent WithAttempts(Document document, ExtractionRun? extraction, ResultContent content)
    {
        var before = AttemptsBefore(extraction);
        if (cascade.Tiers == 1 && before.Count == 0)
        {
            return content;
        }
        var outcome = (content.Review.Needed ? DocumentStatus.NeedsReview : DocumentStatus.Succeeded).ToWire();
        return content with { Attempts = [.. before, TierAttempt.Of(usage.Of(document, content), content, outcome, [])] };
    }

    private static List<TierAttempt> AttemptsBefore(ExtractionRun? extraction) =>
        extraction?.Attempts is { } json ? JsonSerializer.Deserialize<List<TierAttempt>>(json, ResultContent.Json) ?? [] : [];

    // The escalation's own message id, the same for every delivery that escalates this extraction to this tier, so
    // the outbox's unique message id refuses a second one.
    private static Guid MessageId(Guid extraction, int tier)
    {
        Span<byte> bytes = stackalloc byte[20];
        extraction.TryWriteBytes(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[16..], tier);
        return new Guid(SHA256.HashData(bytes).AsSpan(0, 16));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Document escalated from tier {Tier} to tier {Next} (queue {Queue}) for {Reasons}")]
    private static partial void LogEscalated(ILogger logger, int tier, int next, string queue, string reasons);
}
