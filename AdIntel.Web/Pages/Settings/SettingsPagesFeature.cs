namespace AdIntel.Web.Pages.Settings;

/// <summary>The settings screens (costs, targets, brand, automation, notifications, community, members, tokens, plugins, audit, integrations) and <c>/api/settings</c>.</summary>
public static class SettingsPagesFeature
{
    public static IServiceCollection AddSettingsPages(this IServiceCollection services) =>
        services.AddScoped<StoreTargetSettings>().AddScoped<StoreCommunitySettings>().AddScoped<StoreBrandProfile>();

    public static void MapSettingsPages(this RouteGroupBuilder api) => api.MapSettingsEndpoints().MapNotificationsEndpoints();
}
