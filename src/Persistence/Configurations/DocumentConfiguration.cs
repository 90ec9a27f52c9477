using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("documents");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(d => d.SubmittedByKeyId).HasColumnName("submitted_by_key_id").HasMaxLength(32);
        builder.Property(d => d.FileSha256).HasColumnName("file_sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(d => d.FileName).HasColumnName("file_name").HasMaxLength(255);
        builder.Property(d => d.SizeBytes).HasColumnName("size_bytes");
        builder.Property(d => d.RequestedSchema).HasColumnName("requested_schema").HasMaxLength(64);
        builder.Property(d => d.Status).HasColumnName("status").HasConversion(
            status => status.ToWire(),
            text => Parse(text)).HasMaxLength(16);
        builder.Property(d => d.FailureReason).HasColumnName("failure_reason");
        builder.Property(d => d.PageCount).HasColumnName("page_count");
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.CurrentExtractionId).HasColumnName("current_extraction_id").IsConcurrencyToken();
        builder.Property(d => d.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(255);
        builder.Property(d => d.CallbackUrl).HasColumnName("callback_url").HasMaxLength(2048);
        builder.Property(d => d.Source).HasColumnName("source").HasMaxLength(32);
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.UpdatedAt).HasColumnName("updated_at");
        builder.Property(d => d.StartedAt).HasColumnName("started_at");
        builder.Property(d => d.CompletedAt).HasColumnName("completed_at");
        builder.Property(d => d.OriginalDeletedAt).HasColumnName("original_deleted_at");
        builder.Property(d => d.ResultsDeletedAt).HasColumnName("results_deleted_at");

        // Idempotency keys are the client's: two tenants, or two keys of one tenant, may well pick the same one, and
        // a key must never be answered with another key's document (issue #15). The watched folder's documents have
        // no key id: NULLS NOT DISTINCT keeps its keys unique too, over the rows that have an idempotency key.
        builder.HasIndex(d => new { d.TenantId, d.SubmittedByKeyId, d.IdempotencyKey }).IsUnique().AreNullsDistinct(false)
            .HasFilter("idempotency_key IS NOT NULL").HasDatabaseName("ux_documents_key_idempotency_key");
        builder.HasIndex(d => new { d.TenantId, d.CreatedAt }).HasDatabaseName("ix_documents_tenant_created_at");
        builder.HasIndex(d => new { d.Status, d.CreatedAt }).HasDatabaseName("ix_documents_status_created_at");
        builder.HasIndex(d => d.FileSha256).HasDatabaseName("ix_documents_file_sha256");
        // No foreign key to files: retention deletes an original while its document and results stay. Intake and
        // deletion serialise on an advisory lock per SHA-256 instead (DocumentIntake, DocumentDeletion).
    }

    internal static DocumentStatus Parse(string text) =>
        DocumentStatusNames.TryParse(text, out var status)
            ? status
            : throw new InvalidOperationException($"unknown document status '{text}' in the database");
}
