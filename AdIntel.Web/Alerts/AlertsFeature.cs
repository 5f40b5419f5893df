using AdIntel.Web.Alerts.Notifications;

namespace AdIntel.Web.Alerts;

/// <summary>The alerts engine's services, notifications included.</summary>
public static class AlertsFeature
{
    public static IServiceCollection AddAlertsFeature(this IServiceCollection services)
    {
        services.AddScoped<AlertWriter>();
        services.AddNotifications();
        return services;
    }
}
