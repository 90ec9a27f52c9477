using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class ExtractionConfiguration : IEntityTypeConfiguration<Extraction>
{
    public void Configure(EntityTypeBuilder<Extraction> builder)
    {
        builder.ToTable("extractions");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.DocumentId).HasColumnName("document_id");
        builder.Property(e => e.RequestedSchema).HasColumnName("requested_schema").HasMaxLength(64);
        builder.Property(e => e.RequestedVersion).HasColumnName("requested_version").HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.SchemaName).HasColumnName("schema_name").HasMaxLength(64);
        builder.Property(e => e.SchemaVersion).HasColumnName("schema_version").HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.Status).HasColumnName("status").HasConversion(
            status => status.ToWire(),
            text => DocumentConfiguration.Parse(text)).HasMaxLength(16);
        builder.Property(e => e.FailureReason).HasColumnName("failure_reason");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.CompletedAt).HasColumnName("completed_at");
        builder.Property(e => e.Tier).HasColumnName("tier");
        builder.Property(e => e.Attempts).HasColumnName("attempts").HasColumnType("jsonb");
        builder.HasIndex(e => new { e.DocumentId, e.CreatedAt }).HasDatabaseName("ix_extractions_document_id_created_at");
        builder.HasOne<Document>().WithMany().HasForeignKey(e => e.DocumentId)
            .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_extractions_documents");
    }
}
