namespace DocExtract.Contracts;

/// <summary>
/// Extract the structured content of a stored document. <paramref name="ExtractionId"/> names this one run:
/// the worker keys the result by it, so a redelivered command never yields a second result.
/// </summary>
public sealed record ExtractDocument(Guid DocumentId, Guid ExtractionId, string Schema);
