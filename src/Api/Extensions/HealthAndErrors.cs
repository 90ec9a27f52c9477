using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace DocExtract.Api.Extensions;

/// <summary>
/// The database being away is the server's problem, not the client's: answer 503 with Retry-After and a
/// reason, never a bare 500, and never lose what was already committed. Only a failure to reach the database is
/// that: an error the database answered (a bad value, a constraint) is a 500, since retrying it cannot help and a
/// 503 would send clients into retrying forever and fire outage alerts (issue #15).
/// </summary>
internal sealed partial class ServiceUnavailableHandler(IProblemDetailsService problems, ILogger<ServiceUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
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

public static class DatabaseFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database cannot be reached now: no connection,
    /// a timeout, or the server refusing work for a while (SQLSTATE classes 08 connection, 53 insufficient resources,
    /// 57P admin or crash shutdown, cannot connect now). Anything the server answered otherwise is not.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) ||
                        postgres.SqlState.StartsWith("53", StringComparison.Ordinal) ||
                        postgres.SqlState.StartsWith("57P", StringComparison.Ordinal);
                case NpgsqlException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
