using DocExtract.Operations.Settings;
using DocExtract.Contracts;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Schemas;

namespace DocExtract.Pipeline;

public static class PipelineExtensions
{
    /// <summary>The text and LLM pipeline without a broker or database: shared by the worker and `extract`.</summary>
    public static IServiceCollection AddDocExtractPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<TextExtractionOptions>(configuration, TextExtractionOptions.Section);
        services.AddSettings<LlmOptions>(configuration, LlmOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(PasswordSealing.From(configuration.GetSection(SecretOptions.Section).Get<SecretOptions>() ?? new()));
        services.AddMetrics();
        services.AddSingleton<WorkerMetrics>();
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<PageOcr>();
        services.AddSingleton<PdfTextExtractor>();
        services.AddSingleton<TextStageCheck>();
        services.AddSchemaCatalog(configuration);
        services.AddSingleton<RuleCheck>();
        services.AddSingleton<LlmEngine>();
        services.AddSingleton<IStructuredExtraction>(provider =>
            provider.GetRequiredService<LlmEngine>().IsConfigured
                ? ActivatorUtilities.CreateInstance<LlmExtraction>(provider)
                : new TextOnlyExtraction());
        services.AddSingleton<ReviewPolicy>();
        services.AddSettings<EmbeddedInvoiceOptions>(configuration, EmbeddedInvoiceOptions.Section);
        services.AddSingleton<PdfAttachments>();
        services.AddSingleton<EmbeddedInvoiceRoute>();
        return services;
    }
}
