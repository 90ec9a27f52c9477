using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("usage");
        // One row per attempt of an extraction: each model tier that worked on it (#12), so a redelivery of the same
        // tier's message cannot count twice.
        builder.HasKey(u => new { u.Id, u.Tier });
        builder.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(u => u.DocumentId).HasColumnName("document_id");
        builder.Property(u => u.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(u => u.DocumentType).HasColumnName("document_type").HasMaxLength(64);
        builder.Property(u => u.Route).HasColumnName("route").HasMaxLength(32);
        builder.Property(u => u.Tier).HasColumnName("tier");
        builder.Property(u => u.Model).HasColumnName("model").HasMaxLength(255);
        builder.Property(u => u.ModelSha256).HasColumnName("model_sha256").HasMaxLength(64);
        builder.Property(u => u.PromptTokensEvaluated).HasColumnName("prompt_tokens_evaluated");
        builder.Property(u => u.PromptTokensReused).HasColumnName("prompt_tokens_reused");
        builder.Property(u => u.GeneratedTokens).HasColumnName("generated_tokens");
        builder.Property(u => u.TextMs).HasColumnName("text_ms");
        builder.Property(u => u.LlmMs).HasColumnName("llm_ms");
        builder.Property(u => u.PersistMs).HasColumnName("persist_ms");
        builder.Property(u => u.SlotSeconds).HasColumnName("slot_seconds");
        builder.Property(u => u.WorkerSlots).HasColumnName("worker_slots");
        builder.Property(u => u.Worker).HasColumnName("worker").HasMaxLength(255);
        builder.Property(u => u.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(u => new { u.TenantId, u.CreatedAt }).HasDatabaseName("ix_usage_tenant_id_created_at");
        builder.HasIndex(u => u.DocumentId).HasDatabaseName("ix_usage_document_id");
        // The row keeps nothing of the document but its type, so deleting the document only unlinks it: the totals stay.
        builder.HasOne<Document>().WithMany().HasForeignKey(u => u.DocumentId)
            .OnDelete(DeleteBehavior.SetNull).HasConstraintName("fk_usage_documents");
    }
}
