using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Corpus;
using DocExtract.TestSupport.Pdfs;

namespace DocExtract.EndToEnd.Tests;

public sealed class Processing_documents_end_to_end(Service service) : IClassFixture<Service>
{
    [Fact]
    public async Task A_real_pdf_uploaded_over_http_succeeds_and_its_result_holds_its_text()
    {
        var receipt = CorpusCase.Named("inv2data_oyo.pdf");

        var id = await service.UploadAsync(await File.ReadAllBytesAsync(receipt.Path), receipt.Name);
        var document = await service.WaitForTerminalAsync(id);

        Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
        Assert.Equal(1, document.GetProperty("pageCount").GetInt32());
        var result = await service.ResultAsync(id);
        var text = string.Join("\n", result.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.Empty(receipt.MissingSnippets(text));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").ValueKind);
        Assert.Equal("not-extracted", result.GetProperty("dataStatus").GetProperty("state").GetString());
        Assert.Equal(id, result.GetProperty("documentId").GetGuid());
    }

    [Fact]
    public async Task A_pdf_whose_text_holds_a_nul_succeeds_on_its_first_attempt_with_the_nul_removed()
    {
        // Issue #15: the jsonb write failed on every retry for ~200 s, then the document failed blaming the worker.
        var id = await service.UploadAsync(TestPdfs.WithNulInText($"Claimant: Bob~Smith {Guid.NewGuid()}"));
        var document = await service.WaitForTerminalAsync(id);

        Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
        Assert.Equal(1, document.GetProperty("attempts").GetInt32());
        var result = await service.ResultAsync(id);
        var text = result.GetProperty("pages")[0].GetProperty("text").GetString()!;
        Assert.Contains("Claimant: Bob~Smith", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', text);
        Assert.Equal("/pages/0/text", result.GetProperty("cleaned")[0].GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task A_second_worker_process_takes_its_share_of_the_documents()
    {
        service.StartWorker(name: "second worker");
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await service.UploadAsync(TestPdfs.Invoice($"parallel-{i}-{Guid.NewGuid()}")));
        }

        var workers = new HashSet<string>();
        foreach (var id in ids)
        {
            var document = await service.WaitForTerminalAsync(id);
            Assert.True(document.GetProperty("status").GetString() == "succeeded", service.Logs);
            workers.Add((await service.ResultAsync(id)).GetProperty("worker").GetString()!);
        }
        Assert.Equal(2, workers.Count);
    }

    [Fact]
    public async Task A_password_protected_pdf_fails_at_once_with_its_reason_and_the_service_keeps_serving()
    {
        var locked = CorpusCase.Named("pdfjs_issue6010_1_password.pdf");

        var lockedId = await service.UploadAsync(await File.ReadAllBytesAsync(locked.Path));
        var failed = await service.WaitForTerminalAsync(lockedId);
        var nextId = await service.UploadAsync(TestPdfs.Invoice($"after-failure-{Guid.NewGuid()}"));
        var next = await service.WaitForTerminalAsync(nextId);

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("encrypted: a password is required; send an unprotected copy, or open it with `extract --password-file`", failed.GetProperty("failureReason").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal("succeeded", next.GetProperty("status").GetString());
        var original = await service.Http.GetByteArrayAsync($"/documents/{lockedId}/file");
        Assert.Equal(await File.ReadAllBytesAsync(locked.Path), original);
    }
}
