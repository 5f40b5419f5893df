using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Pages.Campaigns;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Scale: a delivering ad set with a budget of its own whose POAS over the last 7 complete days beats the store's
/// target, with the evidence the safety rails want before spending more (7-day spend, impressions and purchases), out
/// of the learning phase, while tracking works. The proposed budget is the highest the daily budget rail allows today.
/// </summary>
internal sealed class ScaleWinners : IRecommender
{
    /// <summary>The horizon the impact is estimated over.</summary>
    public const int ImpactDays = 7;

    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        if (context.Tracking.Broken)
        {
            // Purchase value is under-reported: no POAS can be trusted.
            yield break;
        }
        var target = context.Targets.PoasTarget;
        foreach (var adSet in context.Snapshot.Entities(RuleScope.AdSet))
        {
            if (!context.Delivers(adSet) || context.AdSetBudgets.GetValueOrDefault(adSet.Id) is not { } budget
                || adSet.Value("poas_7d") is not { } poasValue || (decimal)poasValue <= target.Value)
            {
                continue;
            }
            var evidence = RecommendationContext.Evidence(adSet);
            if (evidence.Spend7d < context.Rails.MinSpend || evidence.Impressions7d < context.Rails.MinImpressions
                || evidence.Purchases7d < context.Rails.MinPurchasesForScaleUp)
            {
                continue;
            }
            if (LearningPhase.Classify(adSet.LastSignificantEditAtUtc, adSet.StartDate, evidence.Purchases7d, context.NowUtc, context.Window7.From)
                == LearningState.Learning)
            {
                continue;
            }
            var baseline = context.Ledger.DayBaselineBudget(RuleScope.AdSet, adSet.Id) ?? budget;
            var (_, highest) = SafetyRails.BudgetBounds(baseline, context.Rails.MaxBudgetChangePercentPerDay);
            if (highest <= budget)
            {
                continue;
            }
            yield return Build(context, adSet, budget, highest, (decimal)poasValue, evidence);
        }
    }

    private static Recommendation Build(RecommendationContext context, EntitySnapshot adSet, decimal budget, decimal proposed, decimal poas,
        RecommendedEvidence evidence)
    {
        var target = context.Targets.PoasTarget;
        var extra = proposed - budget;
        var high = ImpactDays * extra * (poas - 1);
        var low = ImpactDays * extra * (target.Value - 1);
        var expected = (low + high) / 2;
        var marginRate = context.Last7Days.ContributionMargin / context.Last7Days.TotalSales;

        var f = new FigureSheet(context.Format);
        var window = context.Last7;
        var budgetText = f.Money("dailyBudget", budget, "now");
        var proposedText = f.Money("proposedDailyBudget", proposed, "proposed");
        var poasText = f.Ratio("poas", poas, window);
        var targetText = f.Ratio("targetPoas", target.Value, target.IsDefault ? "default target" : "your target");
        var valueText = f.Money("purchaseValue", RecommendationContext.Value(adSet, "purchase_value_7d"), window);
        var marginText = f.Percent("storeMarginRate", marginRate, window);
        var spendText = f.Money("spend", evidence.Spend7d, window);
        var purchasesText = f.Count("purchases", evidence.Purchases7d, window);
        var railText = f.Percent("maxBudgetChangePerDay", context.Rails.MaxBudgetChangePercentPerDay / 100m, "safety rail");
        var extraText = f.Money("extraSpendPerDay", extra, "proposed");
        var horizon = $"next {ImpactDays} days";
        var lowText = f.Money("impactLow", low, horizon);
        var highText = f.Money("impactHigh", high, horizon);
        var expectedText = f.Money("impactExpected", expected, horizon);

        var title = $"Raise the budget of “{adSet.Name}” from {budgetText} to {proposedText} a day";
        var reasoning =
            $"Its POAS was {poasText} over the {window}, above your target of {targetText}: {valueText} of purchase value Meta attributes to it, " +
            $"times the store's contribution margin rate of {marginText}, on {spendText} of spend ({purchasesText} purchases). " +
            $"The safety rails let a budget move at most {railText} a day, so the step is {extraText} a day. " +
            $"If the extra spend earns between your target POAS and today's, profit after ads rises by {lowText} to {highText} over the {horizon} " +
            $"(about {expectedText}).";
        // How sure the POAS beats the target, treating the purchases behind it as Poisson counts (normal approximation).
        var confidence = Statistics.Probability(Statistics.NormalCdf(Math.Sqrt((double)evidence.Purchases7d) * (1 - (double)(target.Value / poas))));
        var action = new RecommendedAction(RuleScopes.AdSet, adSet.Id, adSet.ExternalId, adSet.Name,
            new RuleActionSpec { Type = ActionTypes.SetBudget, Amount = proposed }, evidence);
        return new Recommendation(Recommendation.KeyOf(RecommendationTypes.Scale, RuleScopes.AdSet, adSet.Id), RecommendationTypes.Scale,
            RecommendationPriorities.Medium, title, reasoning, f.Figures,
            new RecommendationImpact(expected, low, high, $"profit after ads over the {horizon}"), confidence, context.Lineage(adSet), action);
    }
}
