using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class ResultReviewConfiguration : IEntityTypeConfiguration<ResultReview>
{
    public void Configure(EntityTypeBuilder<ResultReview> builder)
    {
        builder.ToTable("reviews");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.DocumentId).HasColumnName("document_id");
        builder.Property(r => r.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(r => r.ResultId).HasColumnName("result_id");
        builder.Property(r => r.Version).HasColumnName("version");
        builder.Property(r => r.SchemaName).HasColumnName("schema_name").HasMaxLength(64);
        builder.Property(r => r.SchemaVersion).HasColumnName("schema_version").HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.Data).HasColumnName("data").HasColumnType("jsonb");
        builder.Property(r => r.Changes).HasColumnName("changes").HasColumnType("jsonb");
        builder.Property(r => r.ReviewedBy).HasColumnName("reviewed_by").HasMaxLength(32);
        builder.Property(r => r.ReviewedAt).HasColumnName("reviewed_at");
        // Two people approving at once cannot both write version n: the second gets a unique violation and retries.
        builder.HasIndex(r => new { r.DocumentId, r.Version }).IsUnique().HasDatabaseName("ux_reviews_document_id_version");
        // Evaluations read a tenant's reviewed documents of one type.
        builder.HasIndex(r => new { r.TenantId, r.SchemaName, r.ReviewedAt }).HasDatabaseName("ix_reviews_tenant_id_schema_name_reviewed_at");
        // The corrections are the document's data: deleting the document (or its results by retention) deletes them.
        builder.HasOne<Document>().WithMany().HasForeignKey(r => r.DocumentId)
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_reviews_documents");
        builder.HasOne<ExtractionResult>().WithMany().HasForeignKey(r => r.ResultId)
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_reviews_results");
    }
}
