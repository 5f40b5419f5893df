using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>The recommendation engine's services: computation, the stored set, and its schedules.</summary>
public static class RecommendationsFeature
{
    public static IServiceCollection AddRecommendationsFeature(this IServiceCollection services)
    {
        services.AddScoped<RecommendationService>();
        services.AddTransient<RecomputeRecommendationsJob>();
        services.AddSingleton<RecommendationSchedules>();
        services.AddSingleton<IFactsRebuiltObserver>(sp => sp.GetRequiredService<RecommendationSchedules>());
        services.AddStoreJobDispatcher<RecommendationDispatcher>();
        return services;
    }
}
