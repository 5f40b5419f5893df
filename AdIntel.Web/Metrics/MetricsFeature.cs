namespace AdIntel.Web.Metrics;

public static class MetricsFeature
{
    public static IServiceCollection AddMetricsFeature(this IServiceCollection services)
    {
        return services;
    }
}
