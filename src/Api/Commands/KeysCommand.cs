using DocExtract.Api.Audit;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Persistence.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DocExtract.Api.Commands;

/// <summary>
/// <c>keys create|list|revoke</c>: API keys are managed on the host, where the database is, never over HTTP, so a
/// stolen admin key cannot mint more keys. Each change is a record in the audit trail.
/// </summary>
public static class KeysCommand
{
    public const string Usage = """
        usage: DocExtract.Api keys create --tenant SLUG --role submit|read|admin [--name TEXT]
               DocExtract.Api keys list [--tenant SLUG]
               DocExtract.Api keys revoke KEY_ID
        """;

    public static async Task<int> RunAsync(string[] args, string connectionString, TextWriter output, TextWriter errors)
    {
        await using var db = PersistenceExtensions.CreateContext(connectionString);
        var audit = new AuditLog(db, TimeProvider.System);
        switch (args)
        {
            case ["create", .. var options]:
                return await CreateAsync(db, audit, Options(options), output, errors);
            case ["list", .. var options]:
                return await ListAsync(db, Options(options), output);
            case ["revoke", var id]:
                return await RevokeAsync(db, audit, id, output, errors);
            default:
                await errors.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> CreateAsync(DocExtractDbContext db, AuditLog audit, Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        var tenant = options.GetValueOrDefault("tenant");
        var role = options.GetValueOrDefault("role");
        if (!Tenants.IsValidSlug(tenant))
        {
            await errors.WriteLineAsync($"--tenant must be a slug of lowercase letters, digits and '-' (1-63 characters), not '{tenant}'\n{Usage}");
            return 2;
        }
        if (role is null || !ApiRoles.All.Contains(role))
        {
            await errors.WriteLineAsync($"--role must be one of {string.Join(", ", ApiRoles.All)}, not '{role}'\n{Usage}");
            return 2;
        }

        if (options.GetValueOrDefault("name") is { Length: > 255 })
        {
            await errors.WriteLineAsync($"--name must be at most 255 characters\n{Usage}");
            return 2;
        }

        var (id, token, hash) = ApiKeySecrets.Create();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.ApiKeys.Add(new ApiKey
        {
            Id = id, TenantId = tenant!, Role = role, SecretSha256 = hash, Name = options.GetValueOrDefault("name"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        await audit.AppendAsync(CliEntry(tenant!, AuditActions.KeyCreated, new { keyId = id, role, name = options.GetValueOrDefault("name") }), CancellationToken.None);
        await transaction.CommitAsync();
        await errors.WriteLineAsync($"created key {id} for tenant {tenant} with role {role}; it is shown once, store it now:");
        await output.WriteLineAsync(token);
        return 0;
    }

    private static async Task<int> ListAsync(DocExtractDbContext db, Dictionary<string, string> options, TextWriter output)
    {
        var query = db.ApiKeys.AsNoTracking();
        if (options.GetValueOrDefault("tenant") is { } tenant)
        {
            query = query.Where(k => k.TenantId == tenant);
        }
        await output.WriteLineAsync("id\ttenant\trole\tcreated\trevoked\tname");
        foreach (var key in await query.OrderBy(k => k.TenantId).ThenBy(k => k.CreatedAt).ToListAsync())
        {
            await output.WriteLineAsync($"{key.Id}\t{key.TenantId}\t{key.Role}\t{key.CreatedAt:u}\t{(key.RevokedAt is { } r ? r.ToString("u") : "-")}\t{key.Name}");
        }
        return 0;
    }

    private static async Task<int> RevokeAsync(DocExtractDbContext db, AuditLog audit, string id, TextWriter output, TextWriter errors)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id);
        if (key is null)
        {
            await errors.WriteLineAsync($"no key with id '{id}'; `keys list` shows them");
            return 1;
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
            await audit.AppendAsync(CliEntry(key.TenantId, AuditActions.KeyRevoked, new { keyId = id, role = key.Role }), CancellationToken.None);
        }
        await transaction.CommitAsync();
        await output.WriteLineAsync($"key {id} revoked at {key.RevokedAt:u}");
        return 0;
    }

    /// <summary>The CLI runs on the host: the actor is the operating-system user, the place is the host name.</summary>
    internal static AuditEntry CliEntry(string tenant, string action, object details) =>
        new(tenant, $"cli:{Environment.UserName}", null, action, null, $"host:{Environment.MachineName}", details);

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        return options;
    }
}
