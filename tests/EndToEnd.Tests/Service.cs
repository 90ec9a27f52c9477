using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Servers;

namespace DocExtract.EndToEnd.Tests;

/// <summary>A whole DocExtract on the real servers: a database and queue of its own, API and worker processes.</summary>
public class Service : IAsyncLifetime
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly bool _startProcesses;

    public Service() : this(startProcesses: true)
    {
    }

    protected Service(bool startProcesses) => _startProcesses = startProcesses;

    public TestDatabase Database { get; private set; } = null!;
    public TestQueue Queue { get; } = new();
    public HttpClient Http { get; private set; } = new();

    /// <summary>An admin key of the default tenant; <see cref="Http"/> sends it.</summary>
    public string AdminKey { get; private set; } = null!;

    /// <summary>What the worker started with the service gets on top of <see cref="Settings"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string?> WorkerSettings => new Dictionary<string, string?>();

    /// <summary>What the API started with the service gets on top of <see cref="Settings"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ApiSettings => new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(Queue.Settings)
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Information",
            ["Secrets:KeyFile"] = TestSecrets.KeyFile,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        AdminKey = await TestKeys.CreateAsync(Database.ConnectionString);
        if (_startProcesses)
        {
            await StartApiAsync(ApiSettings);
            StartWorker(WorkerSettings);
        }
    }

    public async Task<ServiceProcess> StartApiAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var (api, address) = ServiceProcess.StartApi(Settings(extra));
        _processes.Add(api);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = address }.Authenticated(AdminKey);
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                return (await Http.GetAsync("/health/live")).IsSuccessStatusCode ? "up" : null;
            }
            catch (HttpRequestException)
            {
                return api.HasExited ? throw new InvalidOperationException($"the API exited:\n{api.Output}") : null;
            }
        }, TimeSpan.FromSeconds(60), "the API to answer /health/live");
        return api;
    }

    public ServiceProcess StartWorker(IReadOnlyDictionary<string, string?>? extra = null, string name = "worker")
    {
        var worker = ServiceProcess.StartWorker(Settings(extra), name);
        _processes.Add(worker);
        return worker;
    }

    public async Task<Guid> UploadAsync(byte[] pdf, string fileName = "document.pdf", string? schema = null, string? password = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        if (schema is not null)
        {
            form.Add(new StringContent(schema), "schema");
        }
        if (password is not null)
        {
            form.Add(new StringContent(password), "password");
        }
        using var response = await Http.PostAsync("/documents", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> DocumentAsync(Guid id) =>
        await Http.GetFromJsonAsync<JsonElement>($"/documents/{id}");

    public async Task<JsonElement> WaitForTerminalAsync(Guid id, TimeSpan? timeout = null)
    {
        var document = await Eventually.WaitAsync<JsonElement?>(async () =>
        {
            var current = await DocumentAsync(id);
            return current.GetProperty("status").GetString() is "succeeded" or "failed" or "needs_review" ? current : null;
        }, timeout ?? TimeSpan.FromSeconds(90), $"document {id} to succeed, fail or need review");
        return document!.Value;
    }

    public async Task<JsonElement> ResultAsync(Guid id) =>
        await Http.GetFromJsonAsync<JsonElement>($"/documents/{id}/result");

    public string Logs => string.Join("\n\n", _processes.Select(p => $"--- {p.Name} ---\n{p.Output}"));

    public virtual async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        Http.Dispose();
        await Queue.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The servers and a database, but no process: the test starts (and kills) what it needs.</summary>
public sealed class BareService() : Service(startProcesses: false);

/// <summary>The service with its worker running the LLM stage on the small generated model.</summary>
public sealed class LlmService : Service
{
    protected override IReadOnlyDictionary<string, string?> WorkerSettings => new Dictionary<string, string?>
    {
        ["Llm:ModelPath"] = TestModels.Tiny,
        ["Llm:ContextSize"] = "4096",
        // The generated model is never sure of a type: take its best guess, so the tests see a typed result.
        ["Llm:ClassificationConfidence"] = "0",
    };
}
