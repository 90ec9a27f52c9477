using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class ExtractionResultConfiguration : IEntityTypeConfiguration<ExtractionResult>
{
    public void Configure(EntityTypeBuilder<ExtractionResult> builder)
    {
        builder.ToTable("results");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.DocumentId).HasColumnName("document_id");
        builder.Property(r => r.SchemaName).HasColumnName("schema_name").HasMaxLength(64);
        builder.Property(r => r.Content).HasColumnName("content").HasColumnType("jsonb");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(r => new { r.DocumentId, r.CreatedAt }).HasDatabaseName("ix_results_document_id_created_at");
        // GET /results pages through one type's results by creation time (issue #6).
        builder.HasIndex(r => new { r.SchemaName, r.CreatedAt, r.Id }).HasDatabaseName("ix_results_schema_name_created_at_id");
        builder.HasOne<Document>().WithMany().HasForeignKey(r => r.DocumentId)
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_results_documents");
    }
}
