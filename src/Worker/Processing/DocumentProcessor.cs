using System.Diagnostics;
using DocExtract.Contracts;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Worker.Extraction;
using DocExtract.Worker.TextExtraction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Processing;

/// <summary>
/// consume -> text -> LLM -> persist for one ExtractDocument. Safe to run twice for the same message: the
/// result's key is the extraction id, and a finished extraction is recognised before any work is redone.
/// </summary>
public sealed partial class DocumentProcessor(
    DocExtractDbContext db,
    PdfTextExtractor text,
    IStructuredExtraction structured,
    ReviewPolicy review,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<DocumentProcessor> logger)
{
    public async Task ProcessAsync(ExtractDocument command, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["DocumentId"] = command.DocumentId });
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == command.DocumentId, cancellationToken);
        if (document is null)
        {
            LogDropped(logger, "the document was deleted");
            return;
        }
        if (document.CurrentExtractionId != command.ExtractionId)
        {
            LogDropped(logger, "a newer extraction replaced this one");
            return;
        }
        if (document.Status.IsTerminal())
        {
            LogDropped(logger, $"it is already {document.Status.ToWire()} (redelivered message)");
            return;
        }
        if (document.Attempts >= options.Value.MaxAttempts)
        {
            await FailAsync(document, $"processing was interrupted {document.Attempts} times (the worker stopped while handling this document); " +
                "it may be crashing the worker: check the file, then re-upload it", cancellationToken);
            return;
        }

        var started = clock.GetUtcNow();
        document.Status = DocumentStatus.Processing;
        document.StartedAt ??= started;
        document.Attempts++;
        document.UpdatedAt = started;
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            var content = await ExtractAsync(document, command, started, cancellationToken);
            await SucceedAsync(document, content, cancellationToken);
        }
        catch (PermanentExtractionException e)
        {
            await FailAsync(document, e.Message, cancellationToken);
        }
    }

    /// <summary>Marks a document failed after its transient faults outlasted every retry.</summary>
    public async Task GiveUpAsync(ExtractDocument command, string reason, CancellationToken cancellationToken)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == command.DocumentId, cancellationToken);
        if (document is not null && !document.Status.IsTerminal() &&
            document.CurrentExtractionId == command.ExtractionId)
        {
            await FailAsync(document, reason, cancellationToken);
        }
    }

    private async Task<ExtractionResultContent> ExtractAsync(
        Document document, ExtractDocument command, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var bytes = await db.Files.Where(f => f.Sha256 == document.FileSha256).Select(f => f.Content)
            .FirstAsync(cancellationToken);
        var folder = options.Value.TempDirectory ?? Path.Combine(Path.GetTempPath(), "docextract");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{command.ExtractionId:N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            var extracted = await text.ExtractAsync(path, cancellationToken);
            document.PageCount = extracted.Pages.Count;

            var llm = Stopwatch.StartNew();
            var data = await structured.ExtractAsync(extracted, command.Schema, cancellationToken);
            llm.Stop();

            var now = clock.GetUtcNow();
            return new ExtractionResultContent(
                document.Id, command.ExtractionId, command.Schema, data.Schema, extracted.Pages.Count, extracted.Pages,
                new TextStage(extracted.Engine, extracted.Elapsed.TotalMilliseconds),
                data.Data, new DataStage(data.State, data.Reason, data.Details),
                // The rules of x-docextract-rules pass their failures to Decide as failedRules.
                data.Fields, data.Fields.Count > 0 ? ConfidenceSummary.Of(data.Fields) : null, review.Decide(data), data.Windows,
                new StageTimings((started - document.CreatedAt).TotalMilliseconds, extracted.Elapsed.TotalMilliseconds,
                    llm.Elapsed.TotalMilliseconds, total.Elapsed.TotalMilliseconds),
                ExtractionResultContent.ThisWorker,
                now);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task SucceedAsync(Document document, ExtractionResultContent content, CancellationToken cancellationToken)
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
        document.Status = content.Review.Needed ? DocumentStatus.NeedsReview : DocumentStatus.Succeeded;
        document.FailureReason = null;
        document.CompletedAt = now;
        document.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogSucceeded(logger, document.Status.ToWire(), content.PageCount, content.Timings.TotalMs, content.Review.Reasons.Count);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another delivery of the same command got there first: its result stands.
            LogDropped(logger, "another delivery stored the result first");
        }
    }

    private async Task FailAsync(Document document, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        document.Status = DocumentStatus.Failed;
        document.FailureReason = reason;
        document.CompletedAt = now;
        document.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogFailed(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Document skipped: {Why}")]
    private static partial void LogDropped(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Document {Status}: {Pages} page(s) in {TotalMs:0} ms, {Reasons} reason(s) for review")]
    private static partial void LogSucceeded(ILogger logger, string status, int pages, double totalMs, int reasons);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
