using DocExtract.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Audit;

/// <summary>The outcome of walking the chain: the first broken link, or the head to anchor elsewhere.</summary>
public sealed record AuditVerification(bool Intact, long Records, long? BrokenAt, string Message);

/// <summary>
/// Walks the audit trail from the first record and stops at the first link that does not hold: a record whose
/// fields no longer give its hash (edited), a record missing from the numbering (deleted), or one that does not
/// name its predecessor's hash (replaced or inserted). Removing the newest records leaves an intact shorter chain;
/// compare the head this reports with one kept elsewhere to catch that.
/// </summary>
public sealed class AuditVerifier(DocExtractDbContext db)
{
    private const int PageSize = 1000;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        long expected = 1;
        var previous = AuditChain.Genesis;
        while (true)
        {
            var page = await db.AuditLog.AsNoTracking().Where(r => r.Sequence >= expected).OrderBy(r => r.Sequence)
                .Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return new AuditVerification(true, expected - 1, null,
                    $"intact: {expected - 1} record(s); head {expected - 1} has hash {previous}");
            }
            foreach (var record in page)
            {
                if (record.Sequence != expected)
                {
                    return Broken(expected - 1, expected,
                        $"record {expected} is missing: the chain goes from {expected - 1} to {record.Sequence} (deleted?)");
                }
                if (record.PreviousHash != previous)
                {
                    return Broken(expected - 1, expected,
                        $"record {expected} does not follow record {expected - 1}: it names {record.PreviousHash} as its predecessor's hash, which is {previous}");
                }
                var hash = AuditChain.HashOf(record);
                if (hash != record.Hash)
                {
                    return Broken(expected - 1, expected,
                        $"record {expected} ({record.Action}, {record.At:u}) was altered: its fields hash to {hash}, not to its stored {record.Hash}");
                }
                previous = record.Hash;
                expected++;
            }
        }

        static AuditVerification Broken(long intact, long at, string message) => new(false, intact, at, $"broken at record {at}: {message}");
    }
}
