namespace AdIntel.Web.Metrics;

public static class MetricsFeature
{
    public static IServiceCollection AddMetricsFeature(this IServiceCollection services)
    {
        // The LTV curve is cached per store (see LtvCurveProvider). No ILtvPredictor is registered yet: until a model is
        // plugged in, stores without a year of history get ltv = null with basis "insufficient_history".
        services.AddMemoryCache();
        services.AddScoped<StoreClock>();
        services.AddScoped<LtvCurveProvider>();
        services.AddScoped<MetricsService>();
        services.AddScoped<DailyFactsBuilder>();
        return services;
    }
}
