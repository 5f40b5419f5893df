using AdIntel.Web.Pages.Campaigns;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Monitor: leave a delivering ad set alone while Meta's learning phase runs. Meta keeps no learning flag in the data
/// this app reads, so the state is the campaigns screen's (<see cref="LearningPhase.Classify"/>): launched or
/// significantly edited (budget, bid, targeting) within the last 7 days and fewer than 50 purchases in the last 7
/// complete days, or edited within 72 hours. "Learning limited" ad sets (unchanged for longer) are not protected: more
/// budget is what they need. The impact is the budget spent in learning that an edit now would throw away.
/// </summary>
internal sealed class ProtectLearning : IRecommender
{
    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        foreach (var adSet in context.Snapshot.Entities(RuleScope.AdSet))
        {
            if (!context.Delivers(adSet))
            {
                continue;
            }
            var evidence = RecommendationContext.Evidence(adSet);
            if (LearningPhase.Classify(adSet.LastSignificantEditAtUtc, adSet.StartDate, evidence.Purchases7d, context.NowUtc, context.Window7.From)
                != LearningState.Learning)
            {
                continue;
            }
            yield return Build(context, adSet, evidence);
        }
    }

    private static Recommendation Build(RecommendationContext context, EntitySnapshot adSet, RecommendedEvidence evidence)
    {
        var edited = adSet.LastSignificantEditAtUtc is { } at ? context.LocalDate(at) : (DateOnly?)null;
        var launched = adSet.StartDate;
        // The later of the two restarted learning.
        var restart = edited is { } e && (launched is not { } l || e >= l) ? e : launched ?? context.Today;
        var wasEdit = edited == restart;
        var daysSince = Math.Max(0, context.Today.DayNumber - restart.DayNumber);
        var daysLeft = Math.Max(1, LearningPhase.WindowDays - daysSince);
        var yesterday = context.Today.AddDays(-1);
        var spentLearning = adSet.History.Where(d => d.Date >= restart && d.Date <= yesterday).Sum(d => (decimal)d.Spend);

        var f = new FigureSheet(context.Format);
        var window = context.Last7;
        var sinceWindow = $"since {RecommendationContext.Iso(restart)}";
        var learningWindow = restart <= yesterday ? $"{RecommendationContext.Span(restart, yesterday)}" : sinceWindow;
        var purchasesText = f.Count("purchases", evidence.Purchases7d, window);
        var thresholdText = f.Count("purchasesToLeaveLearning", LearningPhase.PurchasesToExit, "Meta's learning phase");
        var learningDaysText = f.Days("learningWindow", LearningPhase.WindowDays, "Meta's learning phase");
        var sinceText = f.Days("daysSinceRestart", daysSince, sinceWindow);
        var leftText = f.Days("daysLeft", daysLeft, sinceWindow);
        var spentText = f.Money("spendWhileLearning", spentLearning, learningWindow);
        f.Money("impactExpected", spentLearning, learningWindow);
        f.Money("impactLow", 0m, learningWindow);
        f.Money("impactHigh", spentLearning, learningWindow);

        var title = $"Leave “{adSet.Name}” alone while Meta's learning phase runs";
        var reasoning =
            $"Meta re-learns an ad set after a launch or a significant edit, until it gets about {thresholdText} purchases within {learningDaysText}. " +
            $"“{adSet.Name}” was {(wasEdit ? "edited" : "launched")} {(daysSince == 0 ? "today" : sinceText + " ago")} and had {purchasesText} purchases over the {window}. " +
            $"A budget, bid or targeting change now would restart learning and throw away the {spentText} it has spent learning so far; " +
            $"wait {leftText} before changing it.";
        return new Recommendation(Recommendation.KeyOf(RecommendationTypes.Monitor, RuleScopes.AdSet, adSet.Id), RecommendationTypes.Monitor,
            RecommendationPriorities.Low, title, reasoning, f.Figures,
            new RecommendationImpact(spentLearning, 0m, spentLearning, "ad spend of the learning so far, which an edit would throw away"),
            1m, context.Lineage(adSet), null);
    }
}
