using AdIntel.Web.Integrations.Sync;
using AdIntel.Web.Metrics;
using AdIntel.Web.Tracking.Capi;

namespace AdIntel.Web.Tracking;

/// <summary>The tracking-health engine's services: the diagnosis and its alerts, the dataset-quality sync, the test event.</summary>
public static class TrackingFeature
{
    public static IServiceCollection AddTrackingFeature(this IServiceCollection services)
    {
        services.AddScoped<TrackingMonitor>();
        services.AddScoped<TrackingReportBuilder>();
        services.AddScoped<TestEventSender>();
        services.AddIntegrationSync<DatasetQualitySync>();
        services.AddTransient<EvaluateTrackingJob>();
        services.AddSingleton<IFactsRebuiltObserver, TrackingAfterFactsRebuild>();
        return services;
    }
}
