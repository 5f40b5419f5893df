using AdIntel.Web.Infrastructure.Jobs;

namespace AdIntel.Web.Imports;

public static class ImportsFeature
{
    public static IServiceCollection AddImportsFeature(this IServiceCollection services)
    {
        services.AddScoped<ShopifyOrdersCsvImporter>();
        services.AddScoped<MetaAdsCsvImporter>();
        services.AddScoped<ProductCostsCsvImporter>();
        services.AddScoped<ImportUploads>();
        services.AddScoped<ImportRunRecorder>();
        services.AddScoped<IRecordedRuns>(s => s.GetRequiredService<ImportRunRecorder>());
        services.AddScoped<ImportRunner>();
        services.AddScoped<ImportJobs>();
        services.AddSingleton<ImportRunEndings>();
        services.AddTransient<ImportJob>();
        return services;
    }
}
