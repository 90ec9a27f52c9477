using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DocExtract.Operations.Webhooks;

public static class WebhookExtensions
{
    /// <summary>
    /// The Webhooks settings, for both hosts: the API judges upload callbacks and sends, the worker records deliveries.
    /// Both apply the allow-list (issue #15), so a malformed entry stops either at start, naming it.
    /// </summary>
    public static IServiceCollection AddWebhookOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookAllowListValidation>();
        return services;
    }

    /// <summary>The sender of the recorded deliveries, run by the API.</summary>
    public static IServiceCollection AddWebhookDispatcher(this IServiceCollection services)
    {
        // Redirects are not followed: a receiver on the allow-list must not be able to send a callback elsewhere.
        services.AddHttpClient(WebhookDispatcher.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}

internal sealed class WebhookAllowListValidation : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        options.AllowList.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
