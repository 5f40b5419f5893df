namespace AdIntel.Web.Pages.Tracking;

/// <summary>The tracking screen and <c>/api/tracking</c>; the diagnosis, sync and test events are the Tracking engine's.</summary>
public static class TrackingPagesFeature
{
    public static void MapTrackingPages(this RouteGroupBuilder api) => api.MapTrackingEndpoints();
}
