namespace AdIntel.Web.Pages.Settings;

/// <summary>The settings screens (costs, automation, integrations, notifications, members, tokens, plugins, audit) and <c>/api/settings</c>.</summary>
public static class SettingsPagesFeature
{
    public static IServiceCollection AddSettingsPages(this IServiceCollection services) =>
        services.AddScoped<StoreTargetSettings>();

    public static void MapSettingsPages(this RouteGroupBuilder api) => api.MapSettingsEndpoints().MapNotificationsEndpoints();
}
