namespace AdIntel.Web.Pages.Alerts;

/// <summary>The alerts screen and <c>/api/alerts</c>.</summary>
public static class AlertsPagesFeature
{
    public static IServiceCollection AddAlertsPages(this IServiceCollection services) => services.AddScoped<AlertQuery>();

    public static void MapAlertsPages(this RouteGroupBuilder api) => api.MapAlertsEndpoints();
}
