using AdIntel.Web.Brain.Planner;

namespace AdIntel.Web.Pages.Planner;

/// <summary>The budget planner screen and <c>/api/planner</c>; the fitting and allocation are Brain/Planner's.</summary>
public static class PlannerPagesFeature
{
    public static IServiceCollection AddPlannerPages(this IServiceCollection services) => services
        .AddScoped<BudgetPlanner>()
        .AddScoped<PlannerApprovals>();

    public static void MapPlannerPages(this RouteGroupBuilder api) => api.MapPlannerEndpoints();
}
