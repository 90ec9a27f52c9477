using DocExtract.Persistence.Entities;
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
        builder.Property(d => d.CurrentExtractionId).HasColumnName("current_extraction_id");
        builder.Property(d => d.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(255);
        builder.Property(d => d.CallbackUrl).HasColumnName("callback_url").HasMaxLength(2048);
        builder.Property(d => d.Source).HasColumnName("source").HasMaxLength(32);
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.UpdatedAt).HasColumnName("updated_at");
        builder.Property(d => d.StartedAt).HasColumnName("started_at");
        builder.Property(d => d.CompletedAt).HasColumnName("completed_at");

        builder.HasIndex(d => d.IdempotencyKey).IsUnique().HasDatabaseName("ux_documents_idempotency_key");
        builder.HasIndex(d => new { d.Status, d.CreatedAt }).HasDatabaseName("ix_documents_status_created_at");
        builder.HasIndex(d => d.FileSha256).HasDatabaseName("ix_documents_file_sha256");
        builder.HasOne(d => d.File).WithMany().HasForeignKey(d => d.FileSha256)
            .OnDelete(DeleteBehavior.Restrict).HasConstraintName("fk_documents_files");
    }

    private static DocumentStatus Parse(string text) =>
        DocumentStatusNames.TryParse(text, out var status)
            ? status
            : throw new InvalidOperationException($"unknown document status '{text}' in the database");
}
