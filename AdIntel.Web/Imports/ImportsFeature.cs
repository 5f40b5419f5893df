using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Pages.Imports;

namespace AdIntel.Web.Imports;

public static class ImportsFeature
{
    public static IServiceCollection AddImportsFeature(this IServiceCollection services)
    {
        services.AddScoped<ShopifyOrdersCsvImporter>();
        services.AddScoped<MetaAdsCsvImporter>();
        services.AddSingleton<ImportUploads>();
        services.AddScoped<ImportRunRecorder>();
        services.AddScoped<IRecordedRuns>(s => s.GetRequiredService<ImportRunRecorder>());
        services.AddScoped<ImportRunner>();
        services.AddScoped<ImportJobs>();
        services.AddTransient<ImportJob>();
        return services;
    }

    public static RouteGroupBuilder MapImportsEndpoints(this RouteGroupBuilder api) => api.MapImportsApi();
}
