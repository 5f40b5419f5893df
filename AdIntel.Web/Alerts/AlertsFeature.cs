namespace AdIntel.Web.Alerts;

/// <summary>The alerts engine's services.</summary>
public static class AlertsFeature
{
    public static IServiceCollection AddAlertsFeature(this IServiceCollection services)
    {
        services.AddScoped<AlertWriter>();
        return services;
    }
}
