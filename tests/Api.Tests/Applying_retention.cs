using System.Net;
using System.Text.Json;
using DocExtract.Api.Audit;
using DocExtract.Api.Retention;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Pdfs;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Api.Tests;

/// <summary>Rules in <see cref="RetentionApiFixture"/>: originals 30 days, results 365; invoices' originals 7; tenant keepall's originals 10 years.</summary>
public sealed class Applying_retention(RetentionApiFixture api) : IClassFixture<RetentionApiFixture>
{
    [Fact]
    public async Task An_original_past_its_days_goes_and_its_result_stays()
    {
        using var client = await api.CreateClientAsync("ret-a", ApiRoles.Admin);
        var document = await UploadAsync(client, "letter", ageDays: 31);

        await RunAsync();

        using var file = await client.GetAsync(document.Links.File);
        Assert.Equal(HttpStatusCode.Gone, file.StatusCode);
        Assert.Contains("retention", (await file.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(document.Links.Result)).StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM files WHERE sha256 = $1", document.Sha256));
        var receipt = await ReceiptAsync(document.Id, AuditActions.OriginalDeleted);
        Assert.Equal("policy:retention", receipt.GetProperty("actor").GetString());
        Assert.Equal(document.Sha256, receipt.GetProperty("details").GetProperty("sha256").GetString());
        Assert.Contains("Retention:Default", receipt.GetProperty("details").GetProperty("reason").GetProperty("policy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_rule_beats_the_default_and_a_tenant_rule_beats_the_type()
    {
        using var plain = await api.CreateClientAsync("ret-b", ApiRoles.Admin);
        using var keeper = await api.CreateClientAsync("keepall", ApiRoles.Admin);
        var invoice = await UploadAsync(plain, "invoice", ageDays: 8);
        var letter = await UploadAsync(plain, "letter", ageDays: 8);
        var kept = await UploadAsync(keeper, "invoice", ageDays: 8);

        await RunAsync();

        Assert.Equal(HttpStatusCode.Gone, (await plain.GetAsync(invoice.Links.File)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(letter.Links.File)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeper.GetAsync(kept.Links.File)).StatusCode);
    }

    [Fact]
    public async Task A_document_past_both_periods_goes_whole_with_a_receipt()
    {
        using var client = await api.CreateClientAsync("ret-c", ApiRoles.Admin);
        var document = await UploadAsync(client, "letter", ageDays: 366);

        await RunAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(document.Links.Self)).StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM results WHERE document_id = $1", document.Id));
        var receipt = await ReceiptAsync(document.Id, AuditActions.Deleted);
        Assert.Equal("policy:retention", receipt.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_document_retention_deletes_whole_leaves_its_usage_in_the_ledger_without_it()
    {
        using var client = await api.CreateClientAsync("ret-e", ApiRoles.Admin);
        var document = await UploadAsync(client, "letter", ageDays: 366);
        await api.Database.RecordUsageAsync("ret-e", "letter", "llm", 400, 800, 95, DateTimeOffset.UtcNow.AddDays(-366), document.Id);

        await RunAsync();

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE id = $1", document.Id));
        Assert.Equal(1295L, await api.Database.ScalarAsync<long>(
            "SELECT sum(prompt_tokens_evaluated + prompt_tokens_reused + generated_tokens) FROM usage WHERE tenant_id = 'ret-e' AND document_id IS NULL"));
    }

    [Fact]
    public async Task Bytes_another_document_still_holds_are_kept_and_unfinished_documents_wait()
    {
        using var client = await api.CreateClientAsync("ret-d", ApiRoles.Admin);
        var pdf = TestPdfs.Invoice($"shared-{Guid.NewGuid()}");
        var old = await (await client.PostAsync(pdf, schema: "letter")).DocumentAsync();
        await api.Database.SucceedAsync(old.Id, ageDays: 40);
        var fresh = await (await client.PostAsync(pdf, schema: "letter")).DocumentAsync();
        await api.Database.SucceedAsync(fresh.Id);
        var queued = await (await client.PostAsync(TestPdfs.Invoice($"queued-{Guid.NewGuid()}"), schema: "letter")).DocumentAsync();
        await api.Database.ExecuteAsync("UPDATE documents SET created_at = now() - interval '400 days' WHERE id = $1", queued.Id);

        await RunAsync();

        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync(old.Links.File)).StatusCode);
        Assert.Equal(pdf, await client.GetByteArrayAsync(fresh.Links.File));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(queued.Links.File)).StatusCode);
        var receipt = await ReceiptAsync(old.Id, AuditActions.OriginalDeleted);
        Assert.StartsWith("kept", receipt.GetProperty("details").GetProperty("what").GetProperty("originalBytes").GetString(), StringComparison.Ordinal);
    }

    private async Task<Documents.DocumentResponse> UploadAsync(HttpClient client, string schema, int ageDays)
    {
        var document = await (await client.PostAsync(TestPdfs.Invoice($"retention-{Guid.NewGuid()}"), schema: schema)).DocumentAsync();
        await api.Database.SucceedAsync(document.Id, ageDays);
        return document;
    }

    private Task<int> RunAsync() => api.Factory.Services.GetRequiredService<RetentionService>().RunOnceAsync(CancellationToken.None);

    private async Task<JsonElement> ReceiptAsync(Guid document, string action)
    {
        var json = await api.Database.ScalarAsync<string>(
            "SELECT json_build_object('actor', actor, 'details', details::json)::text FROM audit_log WHERE document_id = $1 AND action = $2",
            document, action);
        Assert.NotNull(json);
        return JsonSerializer.Deserialize<JsonElement>(json);
    }
}
