using DocExtract.Api.Audit;
using DocExtract.Persistence;

namespace DocExtract.Api.Commands;

/// <summary><c>audit verify</c>: walks the hash chain; exit code 0 intact, 1 broken (naming the first broken record).</summary>
public static class AuditCommand
{
    public const string Usage = "usage: DocExtract.Api audit verify";

    public static async Task<int> RunAsync(string[] args, string connectionString, TextWriter output, TextWriter errors)
    {
        if (args is not ["verify"])
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }
        await using var db = PersistenceExtensions.CreateContext(connectionString);
        var result = await new AuditVerifier(db).VerifyAsync(CancellationToken.None);
        await (result.Intact ? output : errors).WriteLineAsync($"audit trail {result.Message}");
        return result.Intact ? 0 : 1;
    }
}
