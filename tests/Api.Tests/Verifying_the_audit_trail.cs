using DocExtract.Api.Audit;
using DocExtract.Api.Commands;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Api.Tests;

public sealed class Verifying_the_audit_trail(NoRelayApiFixture api) : IClassFixture<NoRelayApiFixture>
{
    [Fact]
    public async Task Parallel_uploads_leave_one_unforked_chain()
    {
        const int uploads = 24;
        using var client = api.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, uploads).Select(i => client.PostAsync(TestPdfs.Invoice($"parallel-{i}-{Guid.NewGuid()}"))));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Accepted, r.StatusCode));
        var count = await api.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log");
        Assert.True(count >= uploads);
        Assert.Equal(count, await api.Database.ScalarAsync<long>("SELECT max(sequence) FROM audit_log"));
        Assert.Equal(count, await api.Database.ScalarAsync<long>("SELECT count(DISTINCT previous_hash) FROM audit_log"));
        var (code, output, _) = await VerifyAsync(api.Database);
        Assert.True(code == 0, output);
        Assert.Contains($"intact: {count} record(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_record_is_named_as_the_first_broken_link()
    {
        await using var database = await ChainOfAsync(5);

        await database.ExecuteAsync("UPDATE audit_log SET remote = '203.0.113.9' WHERE sequence = 3");

        var (code, _, errors) = await VerifyAsync(database);
        Assert.Equal(1, code);
        Assert.Contains("broken at record 3", errors, StringComparison.Ordinal);
        Assert.Contains("was altered", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_that_recomputes_its_own_hash_breaks_the_next_link()
    {
        await using var database = await ChainOfAsync(5);
        await using (var db = database.CreateContext())
        {
            var third = db.AuditLog.Single(r => r.Sequence == 3);
            var forged = new DocExtract.Persistence.Entities.AuditRecord
            {
                Sequence = 3, At = third.At, TenantId = third.TenantId, Actor = "key:someoneelse", KeyId = third.KeyId, Action = third.Action,
                DocumentId = third.DocumentId, Remote = third.Remote, Details = third.Details, PreviousHash = third.PreviousHash, Hash = "",
            };
            await database.ExecuteAsync("UPDATE audit_log SET actor = $1, hash = $2 WHERE sequence = 3",
                forged.Actor, AuditChain.HashOf(forged));
        }

        var (code, _, errors) = await VerifyAsync(database);
        Assert.Equal(1, code);
        Assert.Contains("broken at record 4", errors, StringComparison.Ordinal);
        Assert.Contains("does not follow record 3", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_record_is_named_as_missing()
    {
        await using var database = await ChainOfAsync(5);

        await database.ExecuteAsync("DELETE FROM audit_log WHERE sequence = 2");

        var (code, _, errors) = await VerifyAsync(database);
        Assert.Equal(1, code);
        Assert.Contains("broken at record 2: record 2 is missing", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untouched_chain_is_intact()
    {
        await using var database = await ChainOfAsync(5);

        var (code, output, _) = await VerifyAsync(database);

        Assert.Equal(0, code);
        Assert.Contains("intact: 5 record(s)", output, StringComparison.Ordinal);
    }

    private static async Task<TestDatabase> ChainOfAsync(int records)
    {
        var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        var audit = new AuditLog(db, TimeProvider.System);
        for (var i = 0; i < records; i++)
        {
            await audit.AppendAsync(new AuditEntry("acme", "key:0123456789ab", "0123456789ab", AuditActions.ReadFile, Guid.NewGuid(), "127.0.0.1",
                new { n = i }), CancellationToken.None);
        }
        return database;
    }

    private static async Task<(int Code, string Output, string Errors)> VerifyAsync(TestDatabase database)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await AuditCommand.RunAsync(["verify"], database.ConnectionString, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
