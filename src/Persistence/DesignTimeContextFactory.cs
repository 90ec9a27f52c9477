using Microsoft.EntityFrameworkCore.Design;

namespace DocExtract.Persistence;

/// <summary>
/// How <c>dotnet ef</c> builds the context (docs/migrations.md): the hosts wire it through their own builders,
/// which the tool should not start. Adding a migration never opens this connection; commands that touch a database
/// (<c>database update</c>) use ConnectionStrings__Postgres, else the local default.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<DocExtractDbContext>
{
    public DocExtractDbContext CreateDbContext(string[] args) =>
        PersistenceExtensions.CreateContext(
            Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } connectionString
                ? connectionString
                : PersistenceExtensions.DefaultConnectionString);
}
