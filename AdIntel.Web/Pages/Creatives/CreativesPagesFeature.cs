using AdIntel.Web.Creatives;
using AdIntel.Web.Creatives.Generation;
using AdIntel.Web.Creatives.Trends;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>The Creatives page, the Creative Studio and <c>/api/creatives</c>; the copy checks and generation are the Creatives engine's.</summary>
public static class CreativesPagesFeature
{
    public static IServiceCollection AddCreativesPages(this IServiceCollection services) =>
        services.AddScoped<CreativeCardsQuery>().AddScoped<AdPerformancePercentiles>().AddScoped<CreativeTrendsQuery>().AddScoped<CompetitorWatch>()
            .AddScoped<AiCopyWriter>().AddScoped<VariantGenerator>().AddScoped<CreativeVariantWriter>();

    public static void MapCreativesPages(this RouteGroupBuilder api) => api.MapCreativesEndpoints().MapCompetitorsEndpoints().MapVariantsEndpoints();
}
