using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DocExtract.Api.Tests;

/// <summary>
/// The check that an entity changed without a migration fails the build (docs/migrations.md): EF compares the model
/// with the snapshot that dotnet-ef keeps beside the migrations. No database is opened.
/// </summary>
public sealed class Comparing_the_model_with_the_snapshot
{
    private const string Unused = "Host=127.0.0.1;Database=never_opened";

    [Fact]
    public void Finds_no_change_that_lacks_a_migration()
    {
        using var context = PersistenceExtensions.CreateContext(Unused);

        Assert.False(context.Database.HasPendingModelChanges(),
            "the model differs from src/Persistence/Migrations/DocExtractDbContextModelSnapshot.cs: add a migration with "
            + "scripts/migrations.sh add NAME (or, after merging hand-written ones, scripts/migrations.sh snapshot)");
    }

    [Fact]
    public void Finds_a_column_added_without_a_migration()
    {
        var options = PersistenceExtensions.Configure(new DbContextOptionsBuilder<DocExtractDbContext>(), Unused)
            .ReplaceService<IModelCustomizer, ColumnAddedByHand>();
        using var context = new DocExtractDbContext((DbContextOptions<DocExtractDbContext>)options.Options);

        Assert.True(context.Database.HasPendingModelChanges());
    }

    private sealed class ColumnAddedByHand(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<Document>().Property<string>("added_by_hand");
        }
    }
}
