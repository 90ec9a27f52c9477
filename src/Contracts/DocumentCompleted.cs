namespace DocExtract.Contracts;

/// <summary>
/// The body of a completion webhook (issue #6): which document reached which terminal state, and where to fetch it.
/// Links are paths on the API, since the worker that writes the body does not know the API's public address.
/// </summary>
public sealed record DocumentCompleted(
    Guid Id,
    string Status,
    string Schema,
    string FileName,
    string? FailureReason,
    DateTimeOffset CompletedAt,
    DocumentCompletedLinks Links)
{
    public static DocumentCompleted For(Guid id, string status, string schema, string fileName, string? failureReason,
        DateTimeOffset completedAt) =>
        new(id, status, schema, fileName, failureReason, completedAt,
            new DocumentCompletedLinks($"/documents/{id}", status == "failed" ? null : $"/documents/{id}/result"));
}

public sealed record DocumentCompletedLinks(string Self, string? Result);
