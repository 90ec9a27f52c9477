using DocExtract.Api.Audit;
using DocExtract.Api.Documents;
using DocExtract.Operations.Polling;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Retention;

/// <summary>
/// Enforces the retention settings in the API host (issue #7): every Retention:Interval it deletes the originals and
/// the results whose periods have run out, counted from upload; a document with both gone is deleted whole. Documents
/// still queued or processing wait for their end. Each deletion leaves a receipt naming the setting that caused it.
/// </summary>
public sealed partial class RetentionService(
    IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionService> logger)
    : BackgroundService
{
    private const int PageSize = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A failed pass is tried again at the next interval, as any other: what is due stays due.
        var interval = options.Value.Interval;
        return new PollingLoop(interval, new Backoff(interval, interval), clock).RunAsync(
            async cancellationToken =>
            {
                var deleted = await RunOnceAsync(cancellationToken);
                if (deleted > 0)
                {
                    LogPass(logger, deleted);
                }
            },
            (e, _) => LogFailed(logger, e),
            stoppingToken);
    }

    /// <summary>One pass over every document; returns how many deletions it made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var deletions = 0;
        var after = Guid.Empty;
        while (true)
        {
            List<Candidate> page;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<DocExtractDbContext>();
                page = await db.RetainedDocumentsAfter(after, PageSize)
                    .AsNoTracking().OrderBy(d => d.Id)
                    .Select(d => new Candidate(d.Id, d.TenantId, d.RequestedSchema, d.Status, d.CreatedAt, d.OriginalDeletedAt, d.ResultsDeletedAt))
                    .ToListAsync(cancellationToken);
            }
            if (page.Count == 0)
            {
                return deletions;
            }
            after = page[^1].Id;
            foreach (var document in page.Where(d => d.Status.IsTerminal()))
            {
                deletions += await ApplyAsync(document, settings, now, cancellationToken);
            }
        }
    }

    private sealed record Candidate(Guid Id, string TenantId, string Type, DocumentStatus Status, DateTimeOffset CreatedAt,
        DateTimeOffset? OriginalDeletedAt, DateTimeOffset? ResultsDeletedAt);

    private async Task<int> ApplyAsync(Candidate document, RetentionOptions settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (originalsDays, resultsDays, rule) = settings.For(document.TenantId, document.Type);
        var originalDue = document.OriginalDeletedAt is not null || (originalsDays is { } o && document.CreatedAt.AddDays(o) <= now);
        var resultsDue = document.ResultsDeletedAt is not null || (resultsDays is { } r && document.CreatedAt.AddDays(r) <= now);
        if (!originalDue && !resultsDue)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var deletion = scope.ServiceProvider.GetRequiredService<DocumentDeletion>();
        var by = new AuditEntry(document.TenantId, "policy:retention", null, AuditActions.Deleted, document.Id, null,
            new { policy = rule, originalsDays, resultsDays });
        if (originalDue && resultsDue)
        {
            return await deletion.DeleteAsync(document.Id, by, cancellationToken) ? 1 : 0;
        }
        return originalDue
            ? await deletion.DeleteOriginalAsync(document.Id, by, cancellationToken) ? 1 : 0
            : await deletion.DeleteResultsAsync(document.Id, by, cancellationToken) ? 1 : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} original(s), result set(s) or document(s)")]
    private static partial void LogPass(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
