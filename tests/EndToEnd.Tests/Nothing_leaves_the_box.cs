using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;
using Npgsql;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// The API and an LLM worker in a network namespace of their own: a loopback and a veth whose other end, on this
/// machine, holds only relays to the test's PostgreSQL and RabbitMQ. No default route: anything else is
/// unreachable by construction, and the tests check both that it is and that the service works regardless.
/// </summary>
public sealed class IsolatedService : IAsyncLifetime
{
    public NetworkNamespace Namespace { get; private set; } = null!;
    public TcpRelay Postgres { get; private set; } = null!;
    public TcpRelay RabbitMq { get; private set; } = null!;
    public Service Service { get; } = new BareService();
    public ServiceProcess Api { get; private set; } = null!;
    public ServiceProcess Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Namespace = await NetworkNamespace.CreateAsync();
        var admin = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin);
        Postgres = TcpRelay.Start(Namespace.HostAddress, new IPEndPoint(IPAddress.Parse(admin.Host!), admin.Port));
        RabbitMq = TcpRelay.Start(Namespace.HostAddress, new IPEndPoint(IPAddress.Parse(TestServers.RabbitHost), TestServers.RabbitPort));
        await Service.InitializeAsync();
        var settings = Service.Settings(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(Service.Database.ConnectionString)
            {
                Host = Namespace.HostAddress.ToString(),
                Port = Postgres.Endpoint.Port,
            }.ConnectionString,
            ["RabbitMq:Host"] = Namespace.HostAddress.ToString(),
            ["RabbitMq:Port"] = RabbitMq.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:ModelPath"] = TestModels.Tiny,
            ["Llm:ContextSize"] = "4096",
        });
        (Api, var address) = ServiceProcess.StartApi(settings, "isolated api", Namespace.InsideAddress, Namespace.Launcher);
        Worker = ServiceProcess.StartWorker(settings, "isolated worker", Namespace.Launcher);
        Service.Http.Dispose();
        Http = new HttpClient { BaseAddress = address }.Authenticated(Service.AdminKey);
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                return (await Http.GetAsync("/health/ready")).IsSuccessStatusCode ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return Api.HasExited ? throw new InvalidOperationException($"the API exited:\n{Api.Output}") : null;
            }
        }, TimeSpan.FromSeconds(90), "the isolated API to be ready");
    }

    public HttpClient Http { get; private set; } = null!;

    public string Logs => $"--- api ---\n{Api.Output}\n\n--- worker ---\n{Worker.Output}";

    public async Task DisposeAsync()
    {
        await Worker.DisposeAsync();
        await Api.DisposeAsync();
        Http.Dispose();
        await Service.DisposeAsync();
        await RabbitMq.DisposeAsync();
        await Postgres.DisposeAsync();
        await Namespace.DisposeAsync();
    }
}

public sealed class Nothing_leaves_the_box(IsolatedService isolated) : IClassFixture<IsolatedService>
{
    [Fact]
    public async Task A_document_goes_through_with_only_the_relays_to_postgresql_and_rabbitmq_reachable()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(TestPdfs.Invoice($"isolated-{Guid.NewGuid()}")), "file", "invoice.pdf");
        form.Add(new StringContent("invoice"), "schema");
        using var upload = await isolated.Http.PostAsync("/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var result = await Eventually.WaitAsync(async () =>
        {
            using var response = await isolated.Http.GetAsync($"/documents/{id}/result");
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromMinutes(3), $"document {id} to have a result\n{isolated.Logs}");

        // The LLM ran too: llama.cpp needs no network either.
        Assert.Contains("\"state\":\"extracted\"", result.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(isolated.Postgres.Connections > 0 && isolated.RabbitMq.Connections > 0,
            $"relayed connections: PostgreSQL {isolated.Postgres.Connections}, RabbitMQ {isolated.RabbitMq.Connections}");

        // Every TCP connection in the namespace, open or just closed, is to a relay or a client of the API.
        var apiPort = isolated.Http.BaseAddress!.Port;
        var relays = new[] { isolated.Postgres.Endpoint.ToString(), isolated.RabbitMq.Endpoint.ToString() };
        var sockets = (await isolated.Namespace.ExecAsync("ss", "-tanH")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns[0] != "LISTEN")
            .ToList();
        Assert.NotEmpty(sockets);
        Assert.All(sockets, columns => Assert.True(
            relays.Contains(columns[4]) || columns[3] == $"{isolated.Namespace.InsideAddress}:{apiPort}",
            $"unexpected connection {string.Join(' ', columns)}"));

        // The self-check named exactly those endpoints.
        Assert.Contains($"PostgreSQL {isolated.Postgres.Endpoint} -> {isolated.Namespace.HostAddress} (private)", isolated.Api.Output);
        Assert.Contains($"RabbitMQ {isolated.RabbitMq.Endpoint} -> {isolated.Namespace.HostAddress} (private)", isolated.Worker.Output);
    }

    [Fact]
    public void The_api_and_the_worker_run_inside_the_namespace()
    {
        var own = NetworkNamespace.NamespaceOf(Environment.ProcessId);
        Assert.StartsWith("net:[", own);

        Assert.NotEqual(own, NetworkNamespace.NamespaceOf(isolated.Api.Pid));
        Assert.NotEqual(own, NetworkNamespace.NamespaceOf(isolated.Worker.Pid));
        Assert.Equal(NetworkNamespace.NamespaceOf(isolated.Api.Pid), NetworkNamespace.NamespaceOf(isolated.Worker.Pid));
        Assert.False(isolated.Api.HasExited || isolated.Worker.HasExited, isolated.Logs);
    }

    [Fact]
    public async Task From_inside_every_other_connection_fails_that_succeeds_from_outside()
    {
        // This machine's own address on its real network, where RabbitMQ listens (0.0.0.0).
        var machine = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback
                && !nic.Name.StartsWith("dxh-", StringComparison.Ordinal))
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork);
        var admin = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin);

        // Controls: the probe does connect where a connection is possible.
        Assert.True((await isolated.Namespace.ConnectAsync(machine.ToString(), TestServers.RabbitPort, inside: false)).Connected);
        Assert.True((await isolated.Namespace.ConnectAsync(admin.Host!, admin.Port, inside: false)).Connected);
        Assert.True((await isolated.Namespace.ConnectAsync(isolated.Namespace.HostAddress.ToString(), isolated.Postgres.Endpoint.Port)).Connected);

        Assert.False((await isolated.Namespace.ConnectAsync(machine.ToString(), TestServers.RabbitPort)).Connected);
        Assert.False((await isolated.Namespace.ConnectAsync(admin.Host!, admin.Port)).Connected);
        Assert.False((await isolated.Namespace.ConnectAsync("1.1.1.1", 443)).Connected);
        Assert.False((await isolated.Namespace.ConnectAsync("8.8.8.8", 53)).Connected);
        var route = await isolated.Namespace.TryExecAsync("ip", "route", "get", "1.1.1.1");
        Assert.NotEqual(0, route.ExitCode);
    }
}

public sealed class Checking_outbound_endpoints_at_start(BareService service) : IClassFixture<BareService>
{
    [Fact]
    public async Task A_server_at_a_public_address_keeps_the_api_from_starting_and_says_which()
    {
        var (api, _) = ServiceProcess.StartApi(service.Settings(new Dictionary<string, string?> { ["RabbitMq:Host"] = "8.8.8.8" }));
        await using var _ = api;

        await Eventually.WaitAsync(() => Task.FromResult(api.HasExited ? "exited" : null), TimeSpan.FromSeconds(60), "the API to refuse to start");

        Assert.Contains("Refusing to start: RabbitMQ 8.8.8.8:5672 lies at a public address", api.Output);
        Assert.Contains("Egress:AllowPublicAddresses", api.Output);
        Assert.Contains("PostgreSQL 127.0.0.1:5432 -> 127.0.0.1 (loopback)", api.Output);
    }
}
