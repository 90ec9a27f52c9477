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
        Assert.Equal("encrypted: a password is required; send it in the upload's `password` field, or send an unprotected copy (`extract` takes --password-file)",
            failed.GetProperty("failureReason").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal("succeeded", next.GetProperty("status").GetString());
        var original = await service.Http.GetByteArrayAsync($"/documents/{lockedId}/file");
        Assert.Equal(await File.ReadAllBytesAsync(locked.Path), original);
    }

    [Fact]
    public async Task A_protected_pdf_sent_with_its_password_is_read_and_with_a_wrong_one_fails_saying_so()
    {
        // #14: the password travels sealed from the API to the worker, which opens the PDF with it.
        var locked = CorpusCase.Named("docling_2206.01062_pg3_password.pdf");
        var bytes = await File.ReadAllBytesAsync(locked.Path);

        var openedId = await service.UploadAsync(bytes, locked.Name, password: locked.Password);
        var wrongId = await service.UploadAsync(bytes, locked.Name, password: "not-" + locked.Password);
        var opened = await service.WaitForTerminalAsync(openedId);
        var wrong = await service.WaitForTerminalAsync(wrongId);

        Assert.True(opened.GetProperty("status").GetString() == "succeeded", service.Logs);
        var result = await service.ResultAsync(openedId);
        Assert.Empty(locked.MissingSnippets(string.Join("\n", result.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("text").GetString()))));
        Assert.Equal("failed", wrong.GetProperty("status").GetString());
        Assert.Equal("encrypted: the password given does not open the PDF; check it, or send an unprotected copy", wrong.GetProperty("failureReason").GetString());
        Assert.DoesNotContain(locked.Password!, service.Logs, StringComparison.Ordinal);
    }
}
