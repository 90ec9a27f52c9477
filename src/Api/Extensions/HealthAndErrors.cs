using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace DocExtract.Api.Extensions;

/// <summary>
/// The database being away is the server's problem, not the client's: answer 503 with Retry-After and a
/// reason, never a bare 500, and never lose what was already committed.
/// </summary>
internal sealed partial class ServiceUnavailableHandler(IProblemDetailsService problems, ILogger<ServiceUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (NpgsqlException or TimeoutException) &&
            exception.InnerException is not (NpgsqlException or TimeoutException))
        {
            return false;
        }
        LogUnavailable(logger, exception);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "the database is unavailable; nothing was stored, retry in a few seconds",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request failed because the database is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
