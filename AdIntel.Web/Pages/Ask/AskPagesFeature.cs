namespace AdIntel.Web.Pages.Ask;

/// <summary>Ask AdIntel (<c>/ask</c>) and <c>/api/ask</c>: its read-only tools over the store; both answer 404 without an LLM.</summary>
public static class AskPagesFeature
{
    public static IServiceCollection AddAskPages(this IServiceCollection services) =>
        services.AddScoped<AskTools>();

    public static void MapAskPages(this RouteGroupBuilder api) => api.MapAskEndpoints();
}
