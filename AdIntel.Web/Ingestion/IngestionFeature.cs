namespace AdIntel.Web.Ingestion;

public static class IngestionFeature
{
    /// <summary>The writers every source of store data goes through: CSV imports, syncs and webhooks.</summary>
    public static IServiceCollection AddIngestionFeature(this IServiceCollection services)
    {
        services.AddScoped<OrderWriter>();
        services.AddScoped<MetaAdsWriter>();
        services.AddScoped<AdCreativeWriter>();
        services.AddScoped<ProductCostWriter>();
        services.AddScoped<CompetitorAdsWriter>();
        return services;
    }
}
