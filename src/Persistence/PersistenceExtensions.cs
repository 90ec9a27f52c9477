using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DocExtract.Persistence;

public static class PersistenceExtensions
{
    public const string ConnectionStringName = "Postgres";
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=5432;Database=docextract;Username=docextract;Password=docextract";

    public static string GetPostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) ?? DefaultConnectionString;

    public static IServiceCollection AddDocExtractPersistence(this IServiceCollection services, string connectionString)
    {
        services.AddDbContext<DocExtractDbContext>(options => Configure(options, connectionString));
        // Built-in and custom document types together (#6); needs the SchemaCatalog of the host.
        services.AddSingleton<DocumentTypes.CustomSchemaCache>();
        services.AddScoped<DocumentTypes.DocumentTypeCatalog>();
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString)
            // A model that drifted from the snapshot fails the tests (Comparing_the_model_with_the_snapshot), not the
            // `migrate` of a deployment: the migrations written by hand before the snapshot existed still apply.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static DocExtractDbContext CreateContext(string connectionString) =>
        new(Configure(new DbContextOptionsBuilder<DocExtractDbContext>(), connectionString).Options as
            DbContextOptions<DocExtractDbContext> ?? throw new InvalidOperationException());

    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var context = CreateContext(connectionString);
        await context.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>PostgreSQL's unique_violation, matched by SqlState and never by message text.</summary>
    public static bool IsUniqueViolation(this Exception exception) =>
        exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } }
        || exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// PostgreSQL refused the data itself, so the same write will be refused on every retry: a data exception (SqlState
    /// class 22, e.g. 22P05 for a U+0000 in jsonb), an integrity violation (class 23) other than the unique and foreign
    /// key violations callers handle as races and deletions, or a program limit (class 54, e.g. a jsonb too large).
    /// </summary>
    public static bool IsPermanentDataError(this Exception exception, [NotNullWhen(true)] out PostgresException? refused)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: var state } postgres
                && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("54", StringComparison.Ordinal)
                    || (state.StartsWith("23", StringComparison.Ordinal)
                        && state is not (PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation))))
            {
                refused = postgres;
                return true;
            }
        }

        refused = null;
        return false;
    }

    /// <inheritdoc cref="IsPermanentDataError(Exception, out PostgresException?)"/>
    public static bool IsPermanentDataError(this Exception exception) => exception.IsPermanentDataError(out _);

    /// <summary>
    /// The row a change refers to is gone: an update that matched no row (EF's concurrency check) or an insert whose
    /// foreign key names a deleted row. For the worker, that is a document deleted while it was being processed.
    /// </summary>
    public static bool IsRowGone(this Exception exception) =>
        exception is DbUpdateConcurrencyException
        || exception is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } };
}
