
namespace AdIntel.Web.Imports;

public static class ImportsFeature
{
    public static IServiceCollection AddImportsFeature(this IServiceCollection services)
    {
        services.AddScoped<ShopifyOrdersCsvImporter>();
        services.AddScoped<MetaAdsCsvImporter>();
        services.AddScoped<ImportRunner>();
        services.AddSingleton<ImportQueue>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
