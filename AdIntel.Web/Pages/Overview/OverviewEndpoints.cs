namespace AdIntel.Web.Pages.Overview;

public static class OverviewEndpoints
{
    public static RouteGroupBuilder MapOverviewEndpoints(this RouteGroupBuilder api)
    {
        return api;
    }
}
