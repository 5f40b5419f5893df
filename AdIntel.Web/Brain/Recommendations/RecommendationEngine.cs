using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
namespace AdIntel.Web.Brain.Recommendations;

/// <summary>One kind of recommendation: a pure function of the context.</summary>
internal interface IRecommender
{
    IEnumerable<Recommendation> Recommend(RecommendationContext context);
}

/// <summary>
/// The deterministic engine (docs/recommendations.md): every recommender over one context, deduplicated and in order
/// of priority, then expected impact. The same context always gives the same list.
/// </summary>
public static class RecommendationEngine
{
    private static readonly IRecommender[] Recommenders =
    [
        new FixTracking(),
        new CompleteProductCosts(),
        new PauseNonConverters(),
        new ScaleWinners(),
        new RefreshFatiguedCreatives(),
        new ProtectLearning(),
        new OffTargetTrends(),
    ];

    public static IReadOnlyList<Recommendation> Recommend(RecommendationContext context)
    {
        var all = Recommenders.SelectMany(r => r.Recommend(context)).ToList();
        // An ad worth pausing needs no new creative first: the pause says all there is to say about it.
        var paused = all.Where(r => r.Type == RecommendationTypes.Pause).SelectMany(r => r.Entities.Take(1)).Select(e => (e.Scope, e.Id)).ToHashSet();
        return all
            .Where(r => r.Type != RecommendationTypes.Test || !paused.Contains((r.Entities[0].Scope, r.Entities[0].Id)))
            .DistinctBy(r => r.Key)
            .Select(r => RespectCampaignAutomation(r, context))
            .OrderBy(r => RecommendationPriorities.Rank(r.Priority))
            .ThenByDescending(r => r.Impact.Expected)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A campaign whose automation is off gets advice, never a change to send: the action goes, and the reasoning says
    /// why (the rails would refuse it anyway).
    /// </summary>
    private static Recommendation RespectCampaignAutomation(Recommendation recommendation, RecommendationContext context)
    {
        if (recommendation.Action is not { } action || !RuleScopes.TryParse(action.Scope, out var scope)
            || context.Snapshot.Find(scope, action.EntityId)?.CampaignAutomation is not { Setting: CampaignAutomation.Off } off)
        {
            return recommendation;
        }
        return recommendation with
        {
            Action = null,
            Reasoning = recommendation.Reasoning + $" Automation is off for campaign “{off.CampaignName}”, so this is advice only: make the change from its page if you agree.",
        };
    }
}
