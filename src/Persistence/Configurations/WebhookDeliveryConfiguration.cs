using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.DocumentId).HasColumnName("document_id");
        builder.Property(d => d.Url).HasColumnName("url").HasMaxLength(2048);
        builder.Property(d => d.Payload).HasColumnName("payload");
        builder.Property(d => d.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(d => d.LastError).HasColumnName("last_error");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.CompletedAt).HasColumnName("completed_at");
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt }).HasDatabaseName("ix_webhook_deliveries_status_next_attempt_at");
        builder.HasIndex(d => d.DocumentId).HasDatabaseName("ix_webhook_deliveries_document_id");
        // Deleting a document withdraws its unsent callbacks with it (DELETE /documents/{id} keeps nothing behind).
        builder.HasOne<Document>().WithMany().HasForeignKey(d => d.DocumentId)
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_webhook_deliveries_documents");
    }
}
