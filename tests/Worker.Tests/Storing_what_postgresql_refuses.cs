using DocExtract.TestSupport.Pdfs;
using DocExtract.Worker.Processing;
using MassTransit.Events;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Issue #15: a U+0000 in a PDF's text made the jsonb write fail (22P05) on every retry for ~200 s, and the document
/// ended with "processing was interrupted 5 times ... it may be crashing the worker".
/// </summary>
public sealed class Storing_what_postgresql_refuses : IAsyncLifetime
{
    private ProcessorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ProcessorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_pdf_whose_font_maps_a_glyph_to_nul_is_stored_without_it_saying_where()
    {
        _harness.Answer.Json = """{ "claimant": "Bob\u0000Smith" }""";

        var id = await _harness.ProcessAsync(TestPdfs.WithNulInText("Claimant: Bob~Smith"), "invoice");

        Assert.Equal(1, await _harness.Database.ScalarAsync<int>("SELECT attempts FROM documents WHERE id = $1", id));
        Assert.Contains(await _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id), (string[])["succeeded", "needs_review"]);
        using var result = await _harness.ResultOfAsync(id);
        var root = result.RootElement;
        var text = root.GetProperty("pages")[0].GetProperty("text").GetString()!;
        Assert.Contains("Claimant: Bob~Smith", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', text);
        Assert.Equal("BobSmith", root.GetProperty("data").GetProperty("claimant").GetString());
        var cleaned = root.GetProperty("cleaned").EnumerateArray()
            .Select(c => (c.GetProperty("pointer").GetString(), c.GetProperty("characters").GetInt32())).ToList();
        Assert.Contains(("/pages/0/text", 1), cleaned);
        Assert.Contains(("/data/claimant", 1), cleaned);
    }

    [Fact]
    public async Task A_data_exception_fails_the_document_on_its_first_attempt_with_the_real_reason()
    {
        // A data exception (class 22) that no retry can get past, raised by PostgreSQL itself as the result is written.
        await _harness.Database.ExecuteAsync("""
            CREATE FUNCTION refuse_result() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'forced refusal of this result' USING ERRCODE = '22023'; END $$;
            CREATE TRIGGER refuse_result BEFORE INSERT ON results FOR EACH ROW EXECUTE FUNCTION refuse_result();
            """);

        var id = await _harness.ProcessAsync(TestPdfs.Invoice($"refused-{Guid.NewGuid()}"), "invoice");

        Assert.Equal("failed", await _harness.Database.ScalarAsync<string>("SELECT status FROM documents WHERE id = $1", id));
        Assert.Equal(1, await _harness.Database.ScalarAsync<int>("SELECT attempts FROM documents WHERE id = $1", id));
        var reason = await _harness.Database.ScalarAsync<string>("SELECT failure_reason FROM documents WHERE id = $1", id);
        Assert.Contains("22023: forced refusal of this result", reason, StringComparison.Ordinal);
        Assert.Contains("retrying cannot help", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("interrupted", reason, StringComparison.Ordinal);
        Assert.Equal(0L, await _harness.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", id));
    }

    [Fact]
    public void A_fault_from_refused_data_is_named_so_and_one_from_an_outage_or_a_race_is_not()
    {
        // What the fault consumer reads after retries, should the failure itself be refused: types and messages only.
        static string? RefusalOf(Exception error) => ExtractDocumentFaultConsumer.Refusal(new FaultExceptionInfo(error));
        static Exception Saving(string sqlState, string text) =>
            new DbUpdateException("An error occurred while saving", new PostgresException(text, "ERROR", "ERROR", sqlState));

        Assert.Equal("22P05: unsupported Unicode escape sequence", RefusalOf(Saving("22P05", "unsupported Unicode escape sequence")));
        Assert.Equal("23514: new row violates check constraint", RefusalOf(Saving("23514", "new row violates check constraint")));
        Assert.Null(RefusalOf(Saving("23505", "duplicate key value violates unique constraint")));
        Assert.Null(RefusalOf(Saving("57P01", "terminating connection due to administrator command")));
        Assert.Null(RefusalOf(new NpgsqlException("Failed to connect to 127.0.0.1:5432")));
    }
}
