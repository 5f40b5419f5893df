namespace AdIntel.Web.Pages.Ask;

/// <summary>The Ask AdIntel screen and <c>POST /api/ask</c> (both answer 404 when no LLM is configured).</summary>
public static class AskPagesFeature
{
    public static void MapAskPages(this RouteGroupBuilder api) => api.MapAskEndpoints();
}
