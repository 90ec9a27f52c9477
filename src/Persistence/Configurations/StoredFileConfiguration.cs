using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.ToTable("files");
        builder.HasKey(f => f.Sha256);
        builder.Property(f => f.Sha256).HasColumnName("sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(f => f.Content).HasColumnName("content").IsRequired();
        builder.Property(f => f.SizeBytes).HasColumnName("size_bytes");
        builder.Property(f => f.CreatedAt).HasColumnName("created_at");
    }
}
