using System.Diagnostics.CodeAnalysis;
using DocExtract.Api.Security;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Documents;

/// <summary>What of a document an endpoint reads, and so which of retention's deletions it answers with 410 Gone.</summary>
public enum DocumentPart
{
    /// <summary>The document's record only (status, names, runs), which retention never deletes on its own.</summary>
    Record,

    /// <summary>The original PDF: gone once retention deleted the original.</summary>
    Original,

    /// <summary>The extracted text and results: gone once retention deleted them.</summary>
    Results,
}

/// <summary>A document the caller may see and read, or the problem that answers the request instead.</summary>
public sealed record DocumentLookup(Document? Document, ProblemHttpResult? Problem)
{
    [MemberNotNullWhen(true, nameof(Problem))]
    [MemberNotNullWhen(false, nameof(Document))]
    public bool Failed => Problem is not null;
}

/// <summary>
/// The one way an endpoint loads a document by id for its caller (#16): only a document the caller may see
/// (<see cref="CallerScope.Visible"/>), 404 for any other, and 410 when retention deleted the part the endpoint reads.
/// What state the document must be in (409) is the endpoint's own question, asked after this.
/// </summary>
public static class VisibleDocuments
{
    /// <param name="consequence">Appended to the 410's detail to say what cannot be done, e.g. ", so its pages cannot be shown".</param>
    public static async Task<DocumentLookup> FindAsync(
        DocExtractDbContext db, Caller caller, Guid id, DocumentPart reads, CancellationToken cancellationToken, string consequence = "")
    {
        var document = await db.Documents.AsNoTracking().FindVisibleAsync(caller, id, cancellationToken);
        if (document is null)
        {
            return new DocumentLookup(null, Problems.DocumentNotFound(id));
        }
        return Gone(document, reads, consequence) is { } gone ? new DocumentLookup(null, gone) : new DocumentLookup(document, null);
    }

    private static ProblemHttpResult? Gone(Document document, DocumentPart reads, string consequence) => reads switch
    {
        DocumentPart.Original when document.OriginalDeletedAt is { } deleted =>
            Problems.Gone($"the original of document {document.Id} was deleted at {deleted:u} by the retention policy{consequence}"),
        DocumentPart.Results when document.ResultsDeletedAt is { } deleted =>
            Problems.Gone($"the text and results of document {document.Id} were deleted at {deleted:u} by the retention policy{consequence}"),
        _ => null,
    };
}
