using DocExtract.TestSupport.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DocExtract.Api.Tests;

/// <summary>The extractions table arrives with documents already stored: each gets the row of its current run (#6).</summary>
public sealed class Migrating_documents_stored_before_extraction_runs
{
    [Fact]
    public async Task Each_document_gets_its_current_extraction_with_the_schema_version_its_result_names()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using var context = database.CreateContext();
        var migrator = context.Database.GetService<IMigrator>();
        await migrator.MigrateAsync("20261121080000_WatchedFiles");
        var (done, waiting) = (Guid.NewGuid(), Guid.NewGuid());
        var (doneRun, waitingRun) = (Guid.NewGuid(), Guid.NewGuid());
        var version = new string('a', 64);
        await context.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO files (sha256, content, size_bytes, created_at) VALUES ({new string('f', 64)}, {new byte[] { 1 }}, 1, now());
            INSERT INTO documents (id, file_sha256, file_name, size_bytes, requested_schema, status, attempts, current_extraction_id, source, created_at, updated_at, completed_at)
            VALUES ({done}, {new string('f', 64)}, 'a.pdf', 1, 'auto', 'succeeded', 1, {doneRun}, 'api', now(), now(), now()),
                   ({waiting}, {new string('f', 64)}, 'b.pdf', 1, 'letter', 'queued', 0, {waitingRun}, 'api', now(), now(), NULL);
            INSERT INTO results (id, document_id, schema_name, content, created_at)
            VALUES ({doneRun}, {done}, 'invoice', CAST({"{\"dataStatus\": {\"details\": {\"schema\": {\"name\": \"invoice\", \"version\": \"" + version + "\"}}}}"} AS jsonb), now());
            """);

        await migrator.MigrateAsync();

        Assert.Equal($"{doneRun} auto invoice {version} succeeded", await database.ScalarAsync<string>(
            "SELECT id || ' ' || requested_schema || ' ' || schema_name || ' ' || schema_version || ' ' || status FROM extractions WHERE document_id = $1", done));
        Assert.Equal($"{waitingRun} letter queued", await database.ScalarAsync<string>(
            "SELECT id || ' ' || requested_schema || ' ' || coalesce(schema_name, '') || coalesce(schema_version, '') || status FROM extractions WHERE document_id = $1", waiting));
    }
}
