using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tracking;

/// <summary>The tracking-health engine's services: the diagnosis, its alerts and evaluations, the report the screen shows.</summary>
public static class TrackingFeature
{
    public static IServiceCollection AddTrackingFeature(this IServiceCollection services)
    {
        services.AddScoped<TrackingMonitor>();
        services.AddScoped<TrackingReportBuilder>();
        services.AddTransient<EvaluateTrackingJob>();
        services.AddSingleton<IFactsRebuiltObserver, TrackingAfterFactsRebuild>();
        return services;
    }
}
