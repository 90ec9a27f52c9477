using DocExtract.Persistence.Entities;

namespace DocExtract.Api.Documents;

public sealed record DocumentLinks(string Self, string Result, string File);

public sealed record DocumentResponse(
    Guid Id,
    string Status,
    string FileName,
    long SizeBytes,
    string Sha256,
    string Schema,
    int? PageCount,
    string? FailureReason,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DocumentLinks Links)
{
    public static DocumentResponse From(Document d) => new(
        d.Id, d.Status.ToWire(), d.FileName, d.SizeBytes, d.FileSha256, d.RequestedSchema, d.PageCount,
        d.FailureReason, d.Attempts, d.CreatedAt, d.UpdatedAt, d.StartedAt, d.CompletedAt,
        new DocumentLinks($"/documents/{d.Id}", $"/documents/{d.Id}/result", $"/documents/{d.Id}/file"));
}

public sealed record DocumentPage(IReadOnlyList<DocumentResponse> Items, int Page, int PageSize, long Total, string? Next);
