using DocExtract.Api.Audit;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Queries;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

/// <summary>
/// Deletes a document whole (DELETE /documents/{id}, or retention when both its periods are over), or only its
/// original or only its text and results (retention). Each runs in one transaction with its deletion receipt in the
/// audit trail: what went, its SHA-256, when, and by whom or by which policy (issue #7). The stored file goes when no
/// document still holding its original refers to it. A command already on the queue finds no document and is dropped
/// by the worker; unsent commands are deleted here.
/// </summary>
public sealed class DocumentDeletion(DocExtractDbContext db, AuditLog audit, TimeProvider clock)
{
    // What each receipt says went (the audit record's "deleted").
    private static readonly string[] _deletedDocument = ["document", "original", "extracted text", "results"];
    private static readonly string[] _deletedOriginal = ["original"];
    private static readonly string[] _deletedResults = ["extracted text", "results"];

    /// <param name="by">Who deletes, in whose tenant; its action, document and details are filled in here.</param>
    public async Task<bool> DeleteAsync(Guid id, AuditEntry by, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.LockDocumentForUpdateAsync(id, by.TenantId, cancellationToken) is not { } document)
        {
            return false;
        }

        var unsent = await db.DeleteUnsentOutboxForDocumentAsync(id, cancellationToken);
        var results = await db.Results.Where(r => r.DocumentId == id).Select(r => r.Id).ToListAsync(cancellationToken);
        await db.Results.Where(r => r.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Documents.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (document.OriginalDeletedAt is null)
        {
            await DeleteFileIfUnusedAsync(document.FileSha256, cancellationToken);
        }

        await audit.AppendAsync(by with
        {
            Action = AuditActions.Deleted,
            DocumentId = id,
            Details = Receipt(document, by.Details, new
            {
                deleted = _deletedDocument,
                originalBytes = document.OriginalDeletedAt is not null ? "deleted earlier by retention"
                    : await OriginalBytesAsync(document, cancellationToken),
                results,
                unsentCommands = unsent,
            }),
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the original only; the document, its text and results stay, GET .../file answers 410.</summary>
    public async Task<bool> DeleteOriginalAsync(Guid id, AuditEntry by, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.LockDocumentForUpdateAsync(id, by.TenantId, cancellationToken) is not { OriginalDeletedAt: null } document)
        {
            return false;
        }
        await db.Documents.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.OriginalDeletedAt, clock.GetUtcNow()), cancellationToken);
        await DeleteFileIfUnusedAsync(document.FileSha256, cancellationToken);
        await audit.AppendAsync(by with
        {
            Action = AuditActions.OriginalDeleted,
            DocumentId = id,
            Details = Receipt(document, by.Details, new
            {
                deleted = _deletedOriginal,
                originalBytes = await OriginalBytesAsync(document, cancellationToken),
            }),
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the extracted text and results only; GET .../result answers 410.</summary>
    public async Task<bool> DeleteResultsAsync(Guid id, AuditEntry by, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.LockDocumentForUpdateAsync(id, by.TenantId, cancellationToken) is not { ResultsDeletedAt: null } document)
        {
            return false;
        }
        var results = await db.Results.Where(r => r.DocumentId == id).Select(r => r.Id).ToListAsync(cancellationToken);
        await db.Results.Where(r => r.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Documents.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ResultsDeletedAt, clock.GetUtcNow()), cancellationToken);
        await audit.AppendAsync(by with
        {
            Action = AuditActions.ResultsDeleted,
            DocumentId = id,
            Details = Receipt(document, by.Details, new { deleted = _deletedResults, results }),
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// What became of the document's bytes, as far as its own tenant can tell. Files are shared by content across
    /// tenants, but a receipt must not depend on other tenants' data: "kept" for bytes another tenant happens to
    /// hold would tell that tenant holds that exact file (issue #15). Whether the stored file itself is gone is internal.
    /// </summary>
    private async Task<string> OriginalBytesAsync(Document document, CancellationToken cancellationToken) =>
        await db.Documents.AnyAsync(d => d.TenantId == document.TenantId && d.FileSha256 == document.FileSha256 &&
                d.Id != document.Id && d.OriginalDeletedAt == null, cancellationToken)
            ? "kept: another document of this tenant holds the same bytes"
            : "deleted";

    private async Task DeleteFileIfUnusedAsync(string sha256, CancellationToken cancellationToken)
    {
        await db.LockFileAsync(sha256, cancellationToken);
        await db.DeleteFileIfUnusedAsync(sha256, cancellationToken);
    }

    private static Dictionary<string, object?> Receipt(Document document, object? why, object what) => new()
    {
        ["fileName"] = document.FileName,
        ["sha256"] = document.FileSha256,
        ["sizeBytes"] = document.SizeBytes,
        ["schema"] = document.RequestedSchema,
        ["createdAt"] = document.CreatedAt,
        ["reason"] = why,
        ["what"] = what,
    };
}
