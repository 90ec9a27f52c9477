using DocExtract.Api.Documents;
using DocExtract.Api.Security;
using DocExtract.Operations.Evaluations;
using DocExtract.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Evaluations;

/// <summary>
/// GET /evaluations: the stored model outputs of the caller's tenant against its reviewed documents of one type (#13,
/// "corrections as labels"), for admin keys. See docs/evaluations.md.
/// </summary>
public static class EvaluationsApi
{
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/evaluations", EvaluateAsync).WithTags("Evaluations").RequireAuthorization(Policies.Admin);
        return app;
    }

    public static async Task<Results<Ok<EvaluationResponse>, ProblemHttpResult>> EvaluateAsync(
        Caller caller, DocExtractDbContext db, IOptions<EvaluationOptions> options, CancellationToken cancellationToken,
        string? type = null, string? version = null, string? from = null, string? to = null, string? precision = null)
    {
        var (filter, problem) = EvaluationFilter.Parse(caller.TenantId, type, version, from, to, precision);
        if (filter is null)
        {
            return Problems.BadRequest(problem!);
        }
        var max = options.Value.MaxDocuments;
        var (documents, tooMany) = await ReviewedDocuments.LoadAsync(db, filter, max, withPages: false, cancellationToken);
        if (tooMany)
        {
            return Problems.BadRequest(ReviewedDocuments.TooManyProblem(max));
        }
        var figures = Evaluation.Evaluate([.. documents.Select(d => d.ToEvaluated())], filter.TargetPrecision);
        return TypedResults.Ok(EvaluationResponse.Of(filter, figures));
    }
}
