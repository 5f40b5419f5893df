using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Pause: a delivering ad that spent more than <see cref="SpendMultiple"/>× the target CPA over the last 7 complete
/// days without a single purchase. An ad that really sold at the target CPA would expect spend ÷ CPA purchases; the
/// chance of none is e^−(spend ÷ CPA), under 5% past 3× (the statistics behind the common "3× CPA" stop-loss). Quiet
/// while tracking is broken (no purchases then proves nothing) and when the store has no target CPA to judge by.
/// </summary>
internal sealed class PauseNonConverters : IRecommender
{
    public const decimal SpendMultiple = 3m;

    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        if (context.Tracking.Broken || context.TargetCpa is not { } cpa)
        {
            yield break;
        }
        foreach (var ad in context.Snapshot.Entities(RuleScope.Ad))
        {
            if (!context.Delivers(ad))
            {
                continue;
            }
            var evidence = RecommendationContext.Evidence(ad);
            if (evidence.Purchases7d > 0 || evidence.Spend7d <= SpendMultiple * cpa.Value)
            {
                continue;
            }
            yield return Build(context, ad, evidence, cpa.Value, cpa.Window);
        }
    }

    private static Recommendation Build(RecommendationContext context, EntitySnapshot ad, RecommendedEvidence evidence, decimal cpa, string cpaWindow)
    {
        var multiple = evidence.Spend7d / cpa;
        var chanceIfOnTarget = (decimal)Math.Exp(-(double)multiple);
        var expected = evidence.Spend7d * (1 - chanceIfOnTarget);

        var f = new FigureSheet(context.Format);
        var window = context.Last7;
        var spendText = f.Money("spend", evidence.Spend7d, window);
        var purchasesText = f.Count("purchases", evidence.Purchases7d, window);
        var multipleText = f.Ratio("spendToTargetCpa", multiple, window);
        var cpaText = f.Money("targetCpa", cpa, cpaWindow);
        var chanceText = f.Percent("chanceIfOnTarget", chanceIfOnTarget, window);
        const string horizon = "next 7 days";
        var highText = f.Money("impactHigh", evidence.Spend7d, horizon);
        var expectedText = f.Money("impactExpected", expected, horizon);
        f.Money("impactLow", 0m, horizon);

        var title = $"Pause “{ad.Name}”: {spendText} spent without a purchase";
        var reasoning =
            $"Over the {window} it spent {spendText} and Meta reported {purchasesText} purchases: {multipleText} your target cost per purchase of {cpaText} ({cpaWindow}). " +
            $"An ad that really sold at that cost would go this long without a sale only {chanceText} of the time. " +
            $"Pausing it saves up to {highText} over the {horizon} if it keeps spending like this; weighed by that chance, about {expectedText}.";
        var action = new RecommendedAction(RuleScopes.Ad, ad.Id, ad.ExternalId, ad.Name, new RuleActionSpec { Type = ActionTypes.Pause }, evidence);
        return new Recommendation(Recommendation.KeyOf(RecommendationTypes.Pause, RuleScopes.Ad, ad.Id), RecommendationTypes.Pause,
            RecommendationPriorities.High, title, reasoning, f.Figures,
            new RecommendationImpact(expected, 0m, evidence.Spend7d, $"ad spend saved over the {horizon}"),
            Statistics.Probability(1 - (double)chanceIfOnTarget), context.Lineage(ad), action);
    }
}
