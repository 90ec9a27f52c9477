using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").HasMaxLength(32);
        builder.Property(k => k.TenantId).HasColumnName("tenant_id").HasMaxLength(Tenants.MaxLength);
        builder.Property(k => k.Role).HasColumnName("role").HasMaxLength(16);
        builder.Property(k => k.SecretSha256).HasColumnName("secret_sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(k => k.Name).HasColumnName("name").HasMaxLength(255);
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
        builder.Property(k => k.RevokedAt).HasColumnName("revoked_at");
    }
}
