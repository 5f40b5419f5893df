namespace AdIntel.Web.Pages.Costs;

/// <summary>The product costs screen and <c>/api/costs</c>.</summary>
public static class CostsPagesFeature
{
    public static IServiceCollection AddCostsPages(this IServiceCollection services) => services.AddScoped<CostCatalogue>();

    public static void MapCostsPages(this RouteGroupBuilder api) => api.MapCostsEndpoints();
}
