using DocExtract.TestSupport.Servers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DocExtract.Api.Tests;

/// <summary>The API in-process over a database and a queue of its own, on the real servers.</summary>
public class ApiFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Every line the app logged, with its level and exception.</summary>
    public CapturedLogs Logs { get; } = new();
    public TestQueue Queue { get; } = new();

    /// <summary>An admin key of the default tenant, which <see cref="CreateClient()"/> sends.</summary>
    public string AdminKey { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Whether the app runs on a real Kestrel listener on loopback instead of the in-memory test server.</summary>
    protected virtual bool OnKestrel => false;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("not started");

    /// <summary>A client that authenticates as the default tenant's admin.</summary>
    public HttpClient CreateClient() => CreateClient(AdminKey);

    /// <summary>A client that sends <paramref name="key"/>, or no key at all when it is null.</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = Factory.CreateClient();
        return key is null ? client : client.Authenticated(key);
    }

    /// <summary>A client with a new key of that tenant and role.</summary>
    public async Task<HttpClient> CreateClientAsync(string tenant, string role) =>
        CreateClient(await TestKeys.CreateAsync(Database.ConnectionString, tenant, role));

    /// <summary>The app's own services (its routes, its options).</summary>
    public IServiceProvider Services => Factory.Services;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        AdminKey = await TestKeys.CreateAsync(Database.ConnectionString);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:Postgres", Database.ConnectionString);
            host.ConfigureLogging(logging => logging.AddProvider(Logs));
            foreach (var (key, value) in Queue.Settings.Concat(ExtraSettings))
            {
                host.UseSetting(key, value);
            }
        });
        if (OnKestrel)
        {
            _factory.UseKestrel(0);
            _factory.StartServer();
        }
        else
        {
            _ = _factory.Server;
        }
    }

    public virtual async Task DisposeAsync()
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

/// <summary>An API with upload limits for two tenants: "slow" may upload 2 documents a minute, "tiny" 2000 bytes.</summary>
public sealed class LimitedApiFixture : ApiFixture
{
    public const int SlowPerMinute = 2;
    public const long TinyMaxBytes = 2000;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        ["Tenants:slow:UploadsPerMinute"] = SlowPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Tenants:tiny:MaxUploadBytes"] = TinyMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// An API with retention rules (originals 30 days, results 365; invoices' originals 7 days; tenant "keepall" keeps
/// originals 10 years) whose background pass runs once a day, so tests run passes themselves.
/// </summary>
public sealed class RetentionApiFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        ["Retention:Interval"] = "1.00:00:00",
        ["Retention:Default:OriginalsDays"] = "30",
        ["Retention:Default:ResultsDays"] = "365",
        ["Retention:Types:invoice:OriginalsDays"] = "7",
        ["Retention:Tenants:keepall:OriginalsDays"] = "3650",
    };
}

/// <summary>The API on Kestrel (a real socket on loopback), for requests the in-memory test server cannot send.</summary>
public sealed class KestrelApiFixture : ApiFixture
{
    protected override bool OnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
    };

    /// <summary>The loopback address and port Kestrel listens on.</summary>
    public Uri Address => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>A logger provider that keeps what the app logs, for tests of what is logged and at which level.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
