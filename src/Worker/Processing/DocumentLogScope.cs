namespace DocExtract.Worker.Processing;

/// <summary>
/// The log scope every line of a document's handling carries (issue #7): its document and extraction ids, as
/// structured fields. Defined once, so the processor and the fault consumer name them alike.
/// </summary>
internal static class DocumentLogScope
{
    private static readonly Func<ILogger, Guid, Guid, IDisposable?> _scope =
        LoggerMessage.DefineScope<Guid, Guid>("Document {DocumentId} extraction {ExtractionId}");

    public static IDisposable? Begin(ILogger logger, Guid documentId, Guid extractionId) => _scope(logger, documentId, extractionId);
}
