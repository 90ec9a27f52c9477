using Microsoft.AspNetCore.Http.HttpResults;

namespace DocExtract.Api.Documents;

/// <summary>RFC 9457 problem details with a message a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => Make(StatusCodes.Status400BadRequest, "Invalid request", detail);
    public static ProblemHttpResult Conflict(string detail) => Make(StatusCodes.Status409Conflict, "Conflict", detail);
    public static ProblemHttpResult TooLarge(string detail) => Make(StatusCodes.Status413PayloadTooLarge, "File too large", detail);
    public static ProblemHttpResult RequestTimeout(string detail) => Make(StatusCodes.Status408RequestTimeout, "Request timeout", detail);
    public static ProblemHttpResult NotAcceptable(string detail) => Make(StatusCodes.Status406NotAcceptable, "Not acceptable", detail);
    public static ProblemHttpResult NotAPdf(string detail) => Make(StatusCodes.Status415UnsupportedMediaType, "Not a PDF", detail);

    public static ProblemHttpResult Gone(string detail) => Make(StatusCodes.Status410Gone, "Deleted", detail);
    public static ProblemHttpResult TooManyRequests(string detail) => Make(StatusCodes.Status429TooManyRequests, "Too many uploads", detail);

    public static ProblemHttpResult DocumentNotFound(Guid id) =>
        Make(StatusCodes.Status404NotFound, "Document not found", $"no document with id {id}");

    private static ProblemHttpResult Make(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
