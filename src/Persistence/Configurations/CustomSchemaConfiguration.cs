using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class CustomSchemaConfiguration : IEntityTypeConfiguration<CustomSchema>
{
    public void Configure(EntityTypeBuilder<CustomSchema> builder)
    {
        builder.ToTable("custom_schemas");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(s => s.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(s => s.Version).HasColumnName("version").HasMaxLength(64).IsFixedLength();
        builder.Property(s => s.Content).HasColumnName("content");
        builder.Property(s => s.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(s => new { s.TenantId, s.Name, s.CreatedAt }).HasDatabaseName("ix_custom_schemas_tenant_id_name_created_at");
    }
}
