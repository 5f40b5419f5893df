using AdIntel.Web.Infrastructure.Caching;

namespace AdIntel.Web.Metrics;

public static class MetricsFeature
{
    public static IServiceCollection AddMetricsFeature(this IServiceCollection services)
    {
        // The LTV curve is cached per store (see LtvCurveProvider). The reports feature registers the ILtvPredictor
        // (BG/NBD + Gamma-Gamma) that stores without a year of history fall back to.
        services.AddMemoryCache();
        services.AddSingleton<StoreCache>();
        services.AddScoped<StoreClock>();
        services.AddScoped<LtvCurveProvider>();
        services.AddScoped<MetricsService>();
        services.AddScoped<DailyFactsBuilder>();
        services.AddScoped<PendingFactsRecovery>();
        return services;
    }
}
