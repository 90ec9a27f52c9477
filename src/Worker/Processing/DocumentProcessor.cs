using System.Diagnostics;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using DocExtract.Persistence.Results;
using DocExtract.Persistence.Tenancy;
using DocExtract.Operations.Outbox;
using DocExtract.Operations.Webhooks;
using DocExtract.Pipeline.Processing;
using DocExtract.Schemas;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.TextExtraction;
using ExtractionRun = DocExtract.Persistence.Entities.Extraction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Processing;

/// <summary>
/// consume -> text -> LLM -> persist for one ExtractDocument. Safe to run twice for the same message: the
/// result's key is the extraction id, and a finished extraction is recognised before any work is redone.
/// A run that a re-extraction replaced while it worked keeps its result under its own extraction, and leaves the
/// document to the newer run (#6).
/// </summary>
public sealed partial class DocumentProcessor(
    DocExtractDbContext db,
    PdfTextExtractor text,
    IStructuredExtraction structured,
    EmbeddedInvoiceRoute invoices,
    DocumentTypeCatalog types,
    RuleCheck rules,
    CompletionWebhooks webhooks,
    ReviewPolicy review,
    PasswordSealing sealing,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    WorkerMetrics metrics,
    UsageRecorder usage,
    TierCascade cascade,
    OutboxSignal outboxSignal,
    ILogger<DocumentProcessor> logger)
{
    public async Task ProcessAsync(ExtractDocument command, CancellationToken cancellationToken)
    {
        // Every line logged while this document is handled carries its ids (issue #7), as structured fields.
        using var scope = DocumentLogScope.Begin(logger, command.DocumentId, command.ExtractionId);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == command.DocumentId, cancellationToken);
        if (document is null)
        {
            LogDropped(logger, "the document was deleted");
            return;
        }
        var extraction = await db.Extractions.FirstOrDefaultAsync(e => e.Id == command.ExtractionId, cancellationToken);
        if (document.CurrentExtractionId != command.ExtractionId)
        {
            if (extraction is { Status: DocumentStatus.Queued })
            {
                extraction.Supersede(document.CurrentExtractionId, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
            }
            LogDropped(logger, "a newer extraction replaced this one");
            return;
        }
        if (LeftBehind(extraction))
        {
            return;
        }
        if (document.Status.IsTerminal())
        {
            LogDropped(logger, $"it is already {document.Status.ToWire()} (redelivered message)");
            return;
        }
        if (document.Attempts >= options.Value.MaxAttempts)
        {
            await FailAsync(document, extraction, $"processing was interrupted {document.Attempts} times (the worker stopped while handling this document); " +
                "it may be crashing the worker: check the file, then re-upload it", cancellationToken);
            return;
        }

        try
        {
            await ProcessFoundAsync(document, extraction, command, cancellationToken);
        }
        catch (Exception e) when (e is DocumentGoneException || e.IsRowGone())
        {
            // Deleted (DELETE /documents/{id} or retention) while this ran: drop the work, never resurrect the row.
            LogDropped(logger, "the document was deleted while it was processed");
        }
    }

    private async Task ProcessFoundAsync(
        Document document, ExtractionRun? extraction, ExtractDocument command, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        metrics.Stage("queue_wait", started - document.CreatedAt);
        document.StartProcessing(extraction, started);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A re-extraction replaced this one between the read and the write; it marked this one superseded.
            LogDropped(logger, "a newer extraction replaced this one");
            return;
        }

        var stages = new StageClock();
        try
        {
            var content = await ExtractAsync(document, command, started, stages, cancellationToken);
            if (await EscalatedAsync(document, extraction, command, content, cancellationToken))
            {
                return;
            }
            await SucceedAsync(document, extraction, WithAttempts(document, extraction, content), cancellationToken);
        }
        catch (PermanentExtractionException e)
        {
            // What the run used before it failed goes into the usage ledger too (#12).
            var spent = usage.OfFailure(document, command.ExtractionId, command.Schema, e.Details,
                stages.Timings((started - document.CreatedAt).TotalMilliseconds), clock.GetUtcNow());
            await FailAsync(document, extraction, e.Message, cancellationToken, spent);
        }
        catch (Exception e) when (e.IsPermanentDataError(out var refused))
        {
            // PostgreSQL refused the data itself: another try would be refused the same way, so the document fails now
            // with the real reason, not after every retry with a guess about crashed workers (#15).
            LogRefused(logger, refused.SqlState, refused.MessageText);
            Forget(EntityState.Added);
            await FailAsync(document, extraction,
                $"the result could not be stored: PostgreSQL refused its data ({refused.SqlState}: {refused.MessageText}" +
                (refused.Detail is { Length: > 0 } detail ? $"; {detail}" : "") +
                "); retrying cannot help, so it failed at once: check the PDF's text and the document type's schema, then re-extract",
                cancellationToken);
        }
    }

    // The rows a refused save added (the result, its webhook deliveries) are dropped, so the failure can be saved.
    private void Forget(EntityState state)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(entry => entry.State == state).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    /// <summary>Marks a document failed after its transient faults outlasted every retry.</summary>
    public async Task GiveUpAsync(ExtractDocument command, string reason, CancellationToken cancellationToken)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == command.DocumentId, cancellationToken);
        if (document is not null && !document.Status.IsTerminal() &&
            document.CurrentExtractionId == command.ExtractionId)
        {
            var extraction = await db.Extractions.FirstOrDefaultAsync(e => e.Id == command.ExtractionId, cancellationToken);
            await FailAsync(document, extraction, reason, cancellationToken);
        }
    }

    private async Task<ResultContent> ExtractAsync(
        Document document, ExtractDocument command, DateTimeOffset started, StageClock stages, CancellationToken cancellationToken)
    {
        var type = await ResolveAsync(command, cancellationToken);
        var bytes = await db.Files.Where(f => f.Sha256 == document.FileSha256).Select(f => f.Content)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new DocumentGoneException();
        var folder = options.Value.TempDirectory ?? Path.Combine(Path.GetTempPath(), "docextract");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{command.ExtractionId:N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            // Cleaned before the LLM reads it, so evidence offsets point into the text as stored (#15).
            var extracted = await text.ExtractAsync(path, new TextRequest(command.Language, PasswordOf(command)), cancellationToken);
            var (pages, cleaned) = StorableText.Clean(extracted.Pages);
            extracted = extracted with { Pages = pages };
            document.PageCount = extracted.Pages.Count;
            stages.TextMs = extracted.Elapsed.TotalMilliseconds;
            metrics.Stage("text", extracted.Elapsed);
            metrics.Pages(extracted.Pages);

            // An e-invoice's XML attachment, when it holds one, is read instead of asking the model (#12).
            var embedded = await invoices.ReadAsync(path, extracted, type, cancellationToken);
            if (embedded.Report is { } report)
            {
                metrics.Stage("attachment", TimeSpan.FromMilliseconds(report.ElapsedMs));
            }
            var llm = Stopwatch.StartNew();
            stages.Llm = llm;
            var data = embedded.Data ?? (type is null
                ? await structured.ExtractAsync(extracted, DocumentTypeName.Auto, cancellationToken)
                : await structured.ExtractAsync(extracted, type, cancellationToken));
            llm.Stop();
            if (embedded.Data is null)
            {
                metrics.Stage("llm", llm.Elapsed);
            }
            var outcomes = await rules.RunAsync(data, type, cancellationToken);

            var now = clock.GetUtcNow();
            return new ResultContent
            {
                DocumentId = document.Id,
                ExtractionId = command.ExtractionId,
                RequestedSchema = command.Schema,
                Schema = data.Schema,
                SchemaVersion = data.SchemaVersion,
                PageCount = extracted.Pages.Count,
                Pages = extracted.Pages,
                Text = new TextStage(extracted.Engine, extracted.Elapsed.TotalMilliseconds, extracted.Notes),
                Data = data.Data,
                DataStatus = new DataStage(data.State, data.Reason, data.Details),
                Rules = outcomes,
                Fields = data.Fields,
                Confidence = data.Fields.Count > 0 ? ConfidenceSummary.Of(data.Fields, data.ConfidenceFormula) : null,
                Review = review.Decide(data, RuleCheck.Failures(outcomes)),
                Windows = data.Windows,
                Timings = new StageTimings((started - document.CreatedAt).TotalMilliseconds, extracted.Elapsed.TotalMilliseconds,
                    llm.Elapsed.TotalMilliseconds, stages.Total.TotalMilliseconds),
                Worker = ResultContent.ThisWorker,
                CreatedAt = now,
                Cleaned = cleaned.Count == 0 ? null : cleaned,
                Route = data.Route,
                EmbeddedInvoice = embedded.Report,
            };
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The upload's PDF password, opened from its seal (#14); a worker without the API's key cannot read it.
    private string? PasswordOf(ExtractDocument command)
    {
        if (command.SealedPassword is not { } sealedPassword)
        {
            return null;
        }
        if (sealing.Seal is not { } seal)
        {
            throw new PermanentExtractionException(PopplerErrors.PasswordUnreadable + ": this worker has no Secrets:KeyFile (give it the API's)");
        }
        return seal.Open(sealedPassword, command.Tenant ?? Tenants.Default)
            ?? throw new PermanentExtractionException(PopplerErrors.PasswordUnreadable + ": the worker's Secrets:KeyFile is not the API's");
    }

    // The type and exact version a command names; null for auto. Custom types are the command's tenant's (#6).
    private async Task<DocumentSchema?> ResolveAsync(ExtractDocument command, CancellationToken cancellationToken)
    {
        if (command.Schema == DocumentTypeName.Auto)
        {
            return null;
        }
        var found = await types.FindAsync(command.Tenant ?? Tenants.Default, command.Schema, command.SchemaVersion, cancellationToken);
        return found.Type?.Schema ?? throw new PermanentExtractionException($"{found.Problem}; re-extract with another type or version");
    }

    private async Task SucceedAsync(Document document, ExtractionRun? extraction, ResultContent content, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.Results.Add(new ExtractionResult
        {
            Id = content.ExtractionId,
            DocumentId = document.Id,
            SchemaName = content.Schema,
            Content = content.ToJsonDocument(),
            CreatedAt = now,
        });
        // Low confidence, an unsupported value, an unknown type or a failed rule (ReviewPolicy) keep the result but
        // put the document in the review queue (#6).
        document.Complete(extraction, content.Review.Needed, content.Schema, content.SchemaVersion, now);
        db.WebhookDeliveries.AddRange(webhooks.For(document, content.Schema, now));
        var used = usage.Add(db, document, content);
        try
        {
            var persist = Stopwatch.StartNew();
            await SaveFinishedAsync(document, cancellationToken);
            metrics.Stage("persist", persist.Elapsed);
            metrics.Finished(document.Status.ToWire());
            LogSucceeded(logger, document.Status.ToWire(), content.PageCount, content.Timings.TotalMs, content.Review.Reasons.Count);
            await usage.CommittedAsync(db, used, persist.Elapsed, cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another delivery of the same command got there first: its result stands.
            LogDropped(logger, "another delivery stored the result first");
        }
    }

    private async Task FailAsync(
        Document document, ExtractionRun? extraction, string reason, CancellationToken cancellationToken, UsageRecord? spent = null)
    {
        var now = clock.GetUtcNow();
        reason = StorableText.Clean(reason);
        document.Fail(extraction, reason, now);
        db.WebhookDeliveries.AddRange(webhooks.For(document, document.RequestedSchema, now));
        if (spent is not null)
        {
            db.Usage.Add(spent);
        }
        var persist = Stopwatch.StartNew();
        await SaveFinishedAsync(document, cancellationToken);
        metrics.Finished("failed");
        LogFailed(logger, reason);
        if (spent is not null)
        {
            await usage.CommittedAsync(db, spent, persist.Elapsed, cancellationToken);
        }
    }

    /// <summary>The stages' time a run has used so far, kept for the usage row of a document that fails part way (#12).</summary>
    private sealed class StageClock
    {
        private readonly Stopwatch _total = Stopwatch.StartNew();

        public double TextMs { get; set; }

        public Stopwatch? Llm { get; set; }

        public TimeSpan Total => _total.Elapsed;

        public StageTimings Timings(double queuedMs) =>
            new(queuedMs, TextMs, Llm?.Elapsed.TotalMilliseconds ?? 0, Total.TotalMilliseconds);
    }

    /// <summary>The document's stored original vanished under the worker: it was deleted while processed.</summary>
    private sealed class DocumentGoneException() : Exception("the document's original is gone: it was deleted");

    // The document's row is written only while this run is still its current extraction: the row is locked and its
    // current extraction read first, so a re-extraction commits either before (and this run leaves the document to
    // the newer one, keeping its own result under its extraction id) or after (and queues the document again).
    private async Task SaveFinishedAsync(Document document, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.LockCurrentExtractionIdAsync(document.Id, cancellationToken);
        if (current is not [var still] || still != document.CurrentExtractionId)
        {
            // Unchanged, not Detached: detaching the document would detach its added result and changed extraction too.
            db.Entry(document).State = EntityState.Unchanged;
            LogDropped(logger, "a newer extraction replaced this one while it ran; its outcome is kept under its own extraction id");
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Document skipped: {Why}")]
    private static partial void LogDropped(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Document {Status}: {Pages} page(s) in {TotalMs:0} ms, {Reasons} reason(s) for review")]
    private static partial void LogSucceeded(ILogger logger, string status, int pages, double totalMs, int reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused the document's data ({SqlState}: {Refusal}); failing it without retries")]
    private static partial void LogRefused(ILogger logger, string sqlState, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
