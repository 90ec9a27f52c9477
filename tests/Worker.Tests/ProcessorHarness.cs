using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Contracts;
using DocExtract.Operations.Outbox;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence;
using DocExtract.Persistence.Entities;
using DocExtract.Pipeline;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Servers;
using DocExtract.Worker.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DocExtract.Worker.Tests;

/// <summary>
/// The worker's DocumentProcessor as the worker composes it, on a database of its own, with the LLM stage replaced by
/// a known answer: the generated test model writes noise, and rules need values whose sums are known (issue #6).
/// </summary>
public sealed class ProcessorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ProcessorHarness(TestDatabase database, KnownAnswer answer, IReadOnlyDictionary<string, string?> settings)
    {
        Database = database;
        Answer = answer;
        var all = new Dictionary<string, string?> { ["Schemas:Directory"] = Path.Combine(Repository.Root, "schemas") };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging().AddDocExtractPipeline(configuration);
        services.AddSingleton<IStructuredExtraction>(answer);
        services.Configure<WorkerOptions>(configuration.GetSection(WorkerOptions.Section));
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<CompletionWebhooks>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton(TierCascade.From(configuration, QueueNames.ExtractDocument));
        services.AddSingleton<OutboxSignal>();
        services.AddDocExtractPersistence(database.ConnectionString);
        services.AddScoped<DocumentProcessor>();
        _services = services.BuildServiceProvider();
    }

    public TestDatabase Database { get; }

    public KnownAnswer Answer { get; }

    public static async Task<ProcessorHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await TestDatabase.CreateAsync(), new KnownAnswer(), settings ?? new Dictionary<string, string?>());

    /// <summary>Stores a PDF as the API would and runs the worker's processing of it to the end.</summary>
    public async Task<Guid> ProcessAsync(byte[] pdf, string schema, string? callbackUrl = null)
    {
        var command = await StoreAsync(pdf, schema, callbackUrl, withExtraction: false);
        await RunAsync(command);
        return command.DocumentId;
    }

    /// <summary>
    /// Stores a PDF as the API would (with its extraction row when <paramref name="withExtraction"/>, as uploads
    /// since #6 have) and returns the command the API queues.
    /// </summary>
    public async Task<ExtractDocument> StoreAsync(byte[] pdf, string schema, string? callbackUrl = null, bool withExtraction = true)
    {
        var id = Guid.NewGuid();
        var extraction = Guid.NewGuid();
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        await using (var db = Database.CreateContext())
        {
            if (!db.Files.Any(f => f.Sha256 == sha))
            {
                db.Files.Add(new StoredFile { Sha256 = sha, Content = pdf, SizeBytes = pdf.Length, CreatedAt = DateTimeOffset.UtcNow });
            }

            db.Documents.Add(new Document
            {
                Id = id, FileSha256 = sha, FileName = "test.pdf", SizeBytes = pdf.Length, RequestedSchema = schema,
                Status = DocumentStatus.Queued, CurrentExtractionId = extraction, CallbackUrl = callbackUrl,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            if (withExtraction)
            {
                db.Extractions.Add(new Persistence.Entities.Extraction
                {
                    Id = extraction, DocumentId = id, RequestedSchema = schema, Status = DocumentStatus.Queued, CreatedAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }

        return new ExtractDocument(id, extraction, schema);
    }

    /// <summary>One delivery of <paramref name="command"/> to this harness's worker.</summary>
    public async Task RunAsync(ExtractDocument command)
    {
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DocumentProcessor>().ProcessAsync(command, CancellationToken.None);
    }

    public async Task<JsonDocument> ResultOfAsync(Guid id) =>
        JsonDocument.Parse(await Database.ScalarAsync<string>(
            "SELECT r.content::text FROM results r JOIN documents d ON r.id = d.current_extraction_id WHERE d.id = $1", id)
            ?? throw new InvalidOperationException($"document {id} has no result"));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>An LLM stage that answers with the JSON a test sets, as the real one does once it has validated it.</summary>
    public sealed class KnownAnswer : IStructuredExtraction
    {
        public string Json { get; set; } = "{}";

        /// <summary>How often the stage was asked: a document the embedded-XML route read never reaches it (#12).</summary>
        public int Calls => _calls;

        private int _calls;

        /// <summary>The LLM details the answer reports (model, tokens), as the real stage writes them; none by default.</summary>
        public string? Details { get; set; }

        /// <summary>When set, the stage fails the document with this reason, reporting <see cref="Details"/> as what it used.</summary>
        public string? Failure { get; set; }

        public Task<StructuredData> ExtractAsync(ExtractedText text, string schema, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Failure is not null)
            {
                throw new PermanentExtractionException(Failure) { Details = Details is null ? null : JsonNode.Parse(Details)!.AsObject() };
            }
            using var parsed = JsonDocument.Parse(Json);
            return Task.FromResult(new StructuredData(schema, parsed.RootElement.Clone(), "extracted", null,
                Details is null ? null : JsonNode.Parse(Details)!.AsObject()));
        }

        public async Task<StructuredData> ExtractAsync(ExtractedText text, DocumentSchema type, CancellationToken cancellationToken) =>
            await ExtractAsync(text, type.Name, cancellationToken) with { SchemaVersion = type.Version };
    }
}
