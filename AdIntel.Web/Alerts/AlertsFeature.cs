using AdIntel.Web.Alerts.Anomalies;
using AdIntel.Web.Alerts.Notifications;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Alerts;

/// <summary>The alerts engine's services: the one writer, the snooze sweep, anomaly detection and its schedules, notifications.</summary>
public static class AlertsFeature
{
    public static IServiceCollection AddAlertsFeature(this IServiceCollection services)
    {
        services.AddScoped<AlertWriter>();
        services.AddNotifications();
        services.AddTransient<SnoozeSweep>();
        services.AddHostedService<SnoozeSweep.Startup>();
        services.AddScoped<AnomalyScan>();
        services.AddTransient<DetectAnomaliesJob>();
        services.AddSingleton<AnomalySchedules>();
        services.AddSingleton<IFactsRebuiltObserver>(sp => sp.GetRequiredService<AnomalySchedules>());
        services.AddStoreJobDispatcher<AnomalyDispatcher>();
        return services;
    }
}
