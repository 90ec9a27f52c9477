using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DocExtract.Schemas;

public static class SchemaCatalogExtensions
{
    /// <summary>One catalog per process over <see cref="SchemaFolder.Resolve"/>.</summary>
    public static IServiceCollection AddSchemaCatalog(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(provider => new SchemaCatalog(
            new SchemaCatalogOptions { Folder = SchemaFolder.Resolve(configuration) },
            provider.GetService<ILogger<SchemaCatalog>>()));
}
