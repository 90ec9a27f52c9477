using DocExtract.Operations.Settings;
using DocExtract.Api.Audit;
using DocExtract.Api.DocumentTypes;
using DocExtract.Api.Documents;
using DocExtract.Api.Evaluations;
using DocExtract.Api.Export;
using DocExtract.Api.Metrics;
using DocExtract.Operations.Outbox;
using DocExtract.Api.Retention;
using DocExtract.Api.Review;
using DocExtract.Api.Security;
using DocExtract.Api.Usage;
using DocExtract.Api.WatchedFolder;
using DocExtract.Contracts;
using DocExtract.Operations;
using DocExtract.Operations.Evaluations;
using DocExtract.Operations.Management;
using DocExtract.Operations.Tools;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence;
using DocExtract.Schemas;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Extensions;

public static class ApiExtensions
{
    public static WebApplicationBuilder AddDocExtractApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSettings<ApiOptions>(configuration, ApiOptions.Section);
        services.AddSettings<SchemaLimits>(configuration, SchemaLimits.Section);
        services.AddSettings<OutboxOptions>(configuration, OutboxOptions.Section);
        var apiOptions = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        // First: the outbound self-check and the management listener start before anything connects.
        services.AddDocExtractOperations(configuration, DocumentMetrics.MeterName);
        services.AddSettings<MetricsOptions>(configuration, MetricsOptions.Section);
        services.AddHostedService<DocumentMetrics>();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<ProbesInOpenApi>());

        // Uploads up to the configured limit must get through Kestrel and the form reader (defaults: 30 MB, 128 MB).
        var bodyLimit = TenantLimits.LargestUpload(configuration, apiOptions) + UploadReader.MultipartOverheadBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = bodyLimit);

        services.AddProblemDetails();
        services.AddExceptionHandler<ServiceUnavailableHandler>();
        services.AddSingleton(TimeProvider.System);
        services.AddDocExtractPersistence(configuration.GetPostgresConnectionString());
        services.AddSchemaCatalog(configuration);
        services.AddSingleton(new RabbitMqQueues(rabbit.ExtractQueue));
        services.AddSingleton<OutboxSignal>();
        services.AddDocExtractAuthorization();
        // The review screen (#13): its session, its page renderer (the worker's tool limits) and its approvals.
        services.AddReviewSessions(configuration);
        services.AddSettings<PageToolOptions>(configuration, "TextExtraction");
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<PageImages>();
        services.AddSingleton<CompletionWebhooks>();
        services.AddScoped<ReviewApproval>();
        services.AddTenantLimits();
        services.AddScoped<AuditLog>();
        services.AddScoped<DocumentIntake>();
        services.AddScoped<DocumentDeletion>();
        services.AddScoped<Reextraction>();
        services.AddScoped<UploadReader>();
        services.AddHostedService<OutboxRelay>();
        services.AddSettings<RetentionOptions>(configuration, RetentionOptions.Section);
        services.AddSettings<CostOptions>(configuration, CostOptions.Section);
        services.AddSettings<EvaluationOptions>(configuration, EvaluationOptions.Section);
        services.AddSingleton<RetentionService>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionService>());
        services.AddOptions<WatchedFolderOptions>().Bind(configuration.GetSection(WatchedFolderOptions.Section))
            .Validate(folder => Persistence.Tenancy.Tenants.IsValidSlug(folder.Tenant),
                "WatchedFolder:Tenant must be a tenant slug: lowercase letters, digits and '-', 1 to 63 characters")
            .Validate<IOptions<OcrLanguageOptions>>((folder, ocr) => ocr.Value.Check(folder.OcrLanguages).Problem is null,
                "WatchedFolder:OcrLanguages names an OCR language that is not installed (TextExtraction:OcrLanguages lists those that are)")
            .ValidateOnStart();
        services.AddSettings<OcrLanguageOptions>(configuration, OcrLanguageOptions.Section);
        services.AddSingleton(PasswordSealing.From(configuration.GetSection(SecretOptions.Section).Get<SecretOptions>() ?? new()));
        services.AddWebhookDispatcher();
        if (!string.IsNullOrWhiteSpace(configuration[$"{WatchedFolderOptions.Section}:Path"]))
        {
            services.AddScoped<InboxFileIntake>();
            services.AddHostedService<WatchedFolderService>();
        }
        services.AddMassTransit(bus => bus.UsingRabbitMq((_, cfg) => cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
        {
            h.Username(rabbit.Username);
            h.Password(rabbit.Password);
        })));
        return builder;
    }

    public static WebApplication MapDocExtractApi(this WebApplication app)
    {
        // First: everything after it sees the client's address and scheme, not the proxy's.
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseReviewHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapDocumentsApi();
        app.MapAuditApi();
        app.MapUsageApi();
        app.MapExtractionsApi();
        app.MapSchemasApi();
        app.MapResultsApi();
        app.MapEvaluationsApi();
        app.MapReviewScreen();
        app.MapReviewApi();
        app.MapHealthProbes();
        app.MapOpenApi();
        // With a management listener, scrapes stay off the public port (see docs/operations.md); without one, the
        // counts of every tenant are for an admin key only.
        if (string.IsNullOrWhiteSpace(app.Configuration[$"{ManagementOptions.Section}:{nameof(ManagementOptions.Urls)}"]))
        {
            app.MapPrometheusMetrics().RequireAuthorization(Policies.Admin);
        }
        return app;
    }
}
