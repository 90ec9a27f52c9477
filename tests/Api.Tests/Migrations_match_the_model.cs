using DocExtract.TestSupport.Servers;
using Npgsql;

namespace DocExtract.Api.Tests;

/// <summary>
/// The older migrations were written by hand (EF's design-time package was not reachable then), so this compares
/// the schema they build with the one EF derives from the model: columns, types, nullability, indexes and foreign
/// keys. Comparing_the_model_with_the_snapshot checks the snapshot dotnet-ef diffs new migrations against.
/// </summary>
public sealed class Migrations_match_the_model
{
    [Fact]
    public async Task The_migrated_schema_equals_the_model_schema()
    {
        await using var migrated = await TestDatabase.CreateAsync(migrate: true);
        await using var fromModel = await TestDatabase.CreateAsync(migrate: false);
        await using (var context = fromModel.CreateContext())
        {
            await context.Database.EnsureCreatedAsync();
        }

        Assert.Equal(await DescribeAsync(fromModel), await DescribeAsync(migrated));
    }

    private static async Task<string> DescribeAsync(TestDatabase database)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END || coalesce(' identity ' || identity_generation, '')
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            ORDER BY 1
            """;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }
}
