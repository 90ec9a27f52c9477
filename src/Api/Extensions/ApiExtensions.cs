using DocExtract.Api.Documents;
using DocExtract.Api.Metrics;
using DocExtract.Operations;
using DocExtract.Operations.Management;
using DocExtract.Api.Outbox;
using DocExtract.Api.WatchedFolder;
using DocExtract.Contracts;
using DocExtract.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using DocExtract.Schemas;

namespace DocExtract.Api.Extensions;

public static class ApiExtensions
{
    public static WebApplicationBuilder AddDocExtractApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        var apiOptions = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        // First: the outbound self-check and the management listener start before anything connects.
        services.AddDocExtractOperations(configuration, DocumentMetrics.MeterName);
        services.Configure<MetricsOptions>(configuration.GetSection(MetricsOptions.Section));
        services.AddHostedService<DocumentMetrics>();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<ProbesInOpenApi>());

        // Uploads up to the configured limit must get through Kestrel and the form reader (defaults: 30 MB, 128 MB).
        var bodyLimit = apiOptions.MaxUploadBytes + UploadReader.MultipartOverheadBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = bodyLimit);

        services.AddProblemDetails();
        services.AddExceptionHandler<ServiceUnavailableHandler>();
        services.AddSingleton(TimeProvider.System);
        services.AddDocExtractPersistence(configuration.GetPostgresConnectionString());
        services.AddSchemaCatalog(configuration);
        services.AddSingleton(new RabbitMqQueues(rabbit.ExtractQueue));
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<DocumentIntake>();
        services.AddScoped<DocumentDeletion>();
        services.AddScoped<UploadReader>();
        services.AddHostedService<OutboxRelay>();
        services.Configure<WatchedFolderOptions>(configuration.GetSection(WatchedFolderOptions.Section));
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
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapDocumentsApi();
        app.MapHealthProbes();
        app.MapOpenApi();
        // With a management listener, scrapes stay off the public port (see README, "Operations").
        if (string.IsNullOrWhiteSpace(app.Configuration[$"{ManagementOptions.Section}:{nameof(ManagementOptions.Urls)}"]))
        {
            app.MapPrometheusMetrics();
        }
        return app;
    }
}
