namespace AdIntel.Web.Pages.Rules;

/// <summary>The rule screens (list, editor, runs, approvals) and <c>/api/rules</c>, <c>/api/approvals</c>, <c>/api/actions</c>.</summary>
public static class RulesPagesFeature
{
    public static IServiceCollection AddRulesPages(this IServiceCollection services) =>
        services.AddScoped<RuleCommands>();

    public static void MapRulesPages(this RouteGroupBuilder api) => api.MapRulesEndpoints();
}
