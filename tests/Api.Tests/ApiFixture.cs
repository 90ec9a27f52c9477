using DocExtract.TestSupport.Servers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace DocExtract.Api.Tests;

/// <summary>The API in-process over a database and a queue of its own, on the real servers.</summary>
public class ApiFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database { get; private set; } = null!;
    public TestQueue Queue { get; } = new();

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>The app's own services (its routes, its options).</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("not started")).Services;

    public HttpClient CreateClient() => (_factory ?? throw new InvalidOperationException("not started")).CreateClient();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
            foreach (var (key, value) in Queue.Settings.Concat(ExtraSettings))
            {
                host.UseSetting(key, value);
            }
        });
        _ = _factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        await Queue.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>An API whose relay never sends: uploads stay in the outbox, as when the process dies after commit.</summary>
public sealed class NoRelayApiFixture : ApiFixture
{
    public const long SmallUploadLimit = 64 * 1024;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        ["Api:MaxUploadBytes"] = SmallUploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
