using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(r => r.Sequence);
        // Numbered by the appender under its lock, not by a sequence: a gap must mean a removed record.
        builder.Property(r => r.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(r => r.At).HasColumnName("at");
        builder.Property(r => r.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(r => r.Actor).HasColumnName("actor").HasMaxLength(128);
        builder.Property(r => r.KeyId).HasColumnName("key_id").HasMaxLength(32);
        builder.Property(r => r.Action).HasColumnName("action").HasMaxLength(64);
        builder.Property(r => r.DocumentId).HasColumnName("document_id");
        builder.Property(r => r.Remote).HasColumnName("remote").HasMaxLength(128);
        builder.Property(r => r.Details).HasColumnName("details");
        builder.Property(r => r.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.Hash).HasColumnName("hash").HasMaxLength(64).IsFixedLength();
        builder.HasIndex(r => new { r.TenantId, r.DocumentId }).HasDatabaseName("ix_audit_log_tenant_document");
    }
}
