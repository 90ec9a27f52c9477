using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Persistence;

public sealed class DocExtractDbContext(DbContextOptions<DocExtractDbContext> options) : DbContext(options)
{
    public DbSet<StoredFile> Files => Set<StoredFile>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<ExtractionResult> Results => Set<ExtractionResult>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<WatchedFile> WatchedFiles => Set<WatchedFile>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<Extraction> Extractions => Set<Extraction>();
    public DbSet<CustomSchema> CustomSchemas => Set<CustomSchema>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<UsageRecord> Usage => Set<UsageRecord>();
    public DbSet<ResultReview> Reviews => Set<ResultReview>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DocExtractDbContext).Assembly);
}
