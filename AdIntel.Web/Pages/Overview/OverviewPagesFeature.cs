namespace AdIntel.Web.Pages.Overview;

/// <summary>The overview screen (KPIs, chart, recommendations) and <c>/api/overview</c>, <c>/api/overview/recommendations</c>.</summary>
public static class OverviewPagesFeature
{
    public static void MapOverviewPages(this RouteGroupBuilder api)
    {
        api.MapOverviewEndpoints();
        api.MapRecommendationEndpoints();
    }
}
