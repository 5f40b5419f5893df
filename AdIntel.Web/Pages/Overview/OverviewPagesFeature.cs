namespace AdIntel.Web.Pages.Overview;

/// <summary>The overview screen and <c>/api/overview</c>.</summary>
public static class OverviewPagesFeature
{
    public static void MapOverviewPages(this RouteGroupBuilder api) => api.MapOverviewEndpoints();
}
