using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DocExtract.Persistence.Configurations;

internal sealed class WatchedFileConfiguration : IEntityTypeConfiguration<WatchedFile>
{
    public void Configure(EntityTypeBuilder<WatchedFile> builder)
    {
        builder.ToTable("watched_files");
        builder.HasKey(f => f.Path);
        builder.Property(f => f.Path).HasColumnName("path");
        builder.Property(f => f.SizeBytes).HasColumnName("size_bytes");
        builder.Property(f => f.ModifiedAt).HasColumnName("modified_at");
        builder.Property(f => f.Sha256).HasColumnName("sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(f => f.Fate).HasColumnName("fate").HasMaxLength(16);
        builder.Property(f => f.DocumentId).HasColumnName("document_id");
        builder.Property(f => f.Reason).HasColumnName("reason");
        builder.Property(f => f.TakenAt).HasColumnName("taken_at");
    }
}
