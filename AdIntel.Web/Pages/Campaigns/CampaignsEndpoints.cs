namespace AdIntel.Web.Pages.Campaigns;

public static class CampaignsEndpoints
{
    public static RouteGroupBuilder MapCampaignsEndpoints(this RouteGroupBuilder api)
    {
        return api;
    }
}
