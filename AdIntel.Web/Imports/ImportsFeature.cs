using AdIntel.Web.Pages.Imports;

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

    public static RouteGroupBuilder MapImportsEndpoints(this RouteGroupBuilder api) => api.MapImportsApi();
}
