using AdIntel.Web.Creatives.Trends;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>The Creatives page and <c>/api/creatives</c>; the copy checks are the Creatives engine's.</summary>
public static class CreativesPagesFeature
{
    public static IServiceCollection AddCreativesPages(this IServiceCollection services) =>
        services.AddScoped<CreativeCardsQuery>().AddScoped<AdPerformancePercentiles>().AddScoped<CreativeTrendsQuery>().AddScoped<CompetitorWatch>();

    public static void MapCreativesPages(this RouteGroupBuilder api) => api.MapCreativesEndpoints().MapCompetitorsEndpoints();
}
