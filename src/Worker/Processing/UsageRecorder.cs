using System.Text.Json.Nodes;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DocExtract.Worker.Processing;

/// <summary>
/// The usage ledger's writer (issue #12): turns a finished result into its <see cref="UsageRecord"/>, added to the
/// same unit of work as the result so both commit or neither does, then fills in the persist time once committed.
/// The tokens are the ones the result reports (its LLM details), so the ledger and the result never disagree.
/// </summary>
public sealed class UsageRecorder(IOptions<WorkerOptions> worker, IOptions<LlmOptions> llm, WorkerMetrics metrics)
{
    public UsageRecord Add(DocExtractDbContext db, Document document, ResultContent content)
    {
        var record = Of(document, content);
        db.Usage.Add(record);
        return record;
    }

    /// <summary>The row a result makes, not yet added: its tier is this worker's (Worker:Tier, #12).</summary>
    public UsageRecord Of(Document document, ResultContent content) =>
        // A route other than the model's (the e-invoice's own XML) is the result's; else the model's or text only.
        Row(document, content.ExtractionId, content.Schema,
            content.Route != StructuredData.LlmRoute ? content.Route : RouteOf(content.DataStatus.Details),
            content.DataStatus.Details, content.Timings, content.Worker, content.CreatedAt);

    /// <summary>
    /// The row of a document that failed: route <see cref="UsageRoutes.Failed"/>, with what the run had used by then
    /// (the model's tokens when it ran: <paramref name="details"/>, as a result's), so failures are counted in the
    /// ledger's cost too.
    /// </summary>
    public UsageRecord OfFailure(Document document, Guid extractionId, string documentType, JsonObject? details, StageTimings timings, DateTimeOffset now) =>
        Row(document, extractionId, (string?)details?["schema"]?["name"] ?? documentType, UsageRoutes.Failed,
            details, timings, ResultContent.ThisWorker, now);

    private UsageRecord Row(
        Document document, Guid extractionId, string documentType, string route, JsonObject? details, StageTimings timings,
        string workerName, DateTimeOffset createdAt)
    {
        var extraction = Tokens(details?["tokens"]);
        var classification = Tokens(details?["classification"]?["tokens"]);
        var model = details?["model"];
        return new UsageRecord
        {
            Id = extractionId,
            DocumentId = document.Id,
            TenantId = document.TenantId,
            DocumentType = documentType,
            Route = route,
            Tier = worker.Value.Tier,
            Model = (string?)model?["file"],
            ModelSha256 = (string?)model?["sha256"],
            PromptTokensEvaluated = extraction.Evaluated + classification.Evaluated,
            PromptTokensReused = extraction.Reused + classification.Reused,
            GeneratedTokens = extraction.Generated + classification.Generated,
            TextMs = timings.TextMs,
            LlmMs = timings.LlmMs,
            SlotSeconds = timings.TotalMs / 1000,
            WorkerSlots = worker.Value.EffectiveConcurrency(llm.Value.MaxSequences),
            Worker = workerName,
            CreatedAt = createdAt,
        };
    }

    /// <summary>After the commit: the persist stage's time, which the commit is part of, and the counters.</summary>
    public async Task CommittedAsync(DocExtractDbContext db, UsageRecord record, TimeSpan persist, CancellationToken cancellationToken)
    {
        var ms = persist.TotalMilliseconds;
        await db.Usage.Where(u => u.Id == record.Id && u.Tier == record.Tier).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.PersistMs, ms)
            .SetProperty(u => u.SlotSeconds, u => u.SlotSeconds + ms / 1000), cancellationToken);
        metrics.Usage(record);
    }

    // The route a result names (e-invoices read from their XML name theirs), else llm when a model read it.
    private static string RouteOf(JsonObject? details) =>
        (string?)details?["route"] ?? (details?["model"] is null ? UsageRoutes.TextOnly : UsageRoutes.Llm);

    private static (int Evaluated, int Reused, int Generated) Tokens(JsonNode? tokens) =>
        tokens is null ? (0, 0, 0)
            : ((int?)tokens["promptEvaluated"] ?? 0, (int?)tokens["promptReused"] ?? 0, (int?)tokens["generated"] ?? 0);
}
