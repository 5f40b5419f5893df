namespace AdIntel.Web.Pages.Campaigns;

/// <summary>The campaign, ad set and ad screens and <c>/api/campaigns</c>.</summary>
public static class CampaignsPagesFeature
{
    public static IServiceCollection AddCampaignsPages(this IServiceCollection services) =>
        services.AddScoped<CampaignPerformanceQuery>().AddScoped<CampaignAutomationSettings>();

    public static void MapCampaignsPages(this RouteGroupBuilder api) => api.MapCampaignsEndpoints().MapManualChangeEndpoints();
}
