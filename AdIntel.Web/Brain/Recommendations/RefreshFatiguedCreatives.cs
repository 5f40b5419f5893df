using AdIntel.Plugins.CreativeFatigue;
using AdIntel.Web.Reports;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Test a new creative: a delivering ad the creative-fatigue verdict flags (<see cref="FatigueJudge"/> with the
/// thresholds the creative report uses, judged like the plugin: its first 7 days of delivery against the last 7
/// complete days). The impact is the part of the ad's weekly spend that no longer buys what it did: the share of
/// clicks lost per impression, or, above the critical frequency, the share of impressions beyond it.
/// </summary>
internal sealed class RefreshFatiguedCreatives : IRecommender
{
    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        var thresholds = CreativeReport.Fatigue;
        foreach (var ad in context.Snapshot.Entities(RuleScope.Ad))
        {
            if (!context.Delivers(ad))
            {
                continue;
            }
            // Today is still under way: the recent window is the complete days before it, as the plugin judges.
            var verdict = FatigueJudge.Judge(ad.History, context.Today.AddDays(-1), thresholds);
            if (verdict.IsFatigued)
            {
                yield return Build(context, ad, verdict, thresholds);
            }
        }
    }

    private static Recommendation Build(RecommendationContext context, EntitySnapshot ad, FatigueVerdict verdict, FatigueThresholds thresholds)
    {
        var (baseline, recent) = (verdict.Baseline, verdict.Recent);
        var firstDay = ad.History[0].Date;
        var baselineWindow = $"first {thresholds.BaselineDays} days of delivery, {RecommendationContext.Span(firstDay, firstDay.AddDays(thresholds.BaselineDays - 1))}";
        var window = context.Last7;
        var spend = RecommendationContext.Value(ad, "spend_7d");
        var critical = verdict.Finding == FatigueFinding.CriticalFrequency;
        var recentFrequency = (decimal)recent.Frequency!.Value;
        var lostShare = critical
            ? (recentFrequency - (decimal)thresholds.CriticalFrequency) / recentFrequency
            : Math.Clamp((decimal)verdict.CtrDropPct!.Value / 100m, 0, 1);
        var expected = spend * lostShare;

        var f = new FigureSheet(context.Format);
        var frequencyText = f.Ratio("frequency", recentFrequency, window).TrimEnd('×');
        var ctrBefore = baseline.Ctr is { } b ? f.Percent("ctrFirstDays", (decimal)b, baselineWindow) : null;
        var ctrNow = recent.Ctr is { } r ? f.Percent("ctr", (decimal)r, window) : null;
        var spendText = f.Money("spend", spend, window);
        const string horizon = "next 7 days";
        var expectedText = f.Money("impactExpected", expected, horizon);
        f.Money("impactLow", 0m, horizon);
        f.Money("impactHigh", spend, horizon);

        string title, reasoning;
        if (critical)
        {
            var thresholdText = f.Ratio("criticalFrequency", (decimal)thresholds.CriticalFrequency, "fatigue threshold").TrimEnd('×');
            title = $"Refresh the creative of “{ad.Name}”: people saw it {frequencyText} times on average";
            var clicks = ctrBefore is not null && ctrNow is not null ? $" (click-through rate {ctrBefore} in its first days, {ctrNow} now)" : "";
            reasoning =
                $"Over the {window} the average person reached saw it {frequencyText} times, above {thresholdText}, where creatives wear out however well " +
                $"they are clicked{clicks}. It spent {spendText} in that time; about {expectedText} of it paid for impressions beyond that frequency. " +
                "Try a new creative or a wider audience beside it.";
        }
        else
        {
            var dropText = f.Percent("ctrDrop", (decimal)verdict.CtrDropPct!.Value / 100m, window);
            var frequencyBefore = f.Ratio("frequencyFirstDays", (decimal)baseline.Frequency!.Value, baselineWindow).TrimEnd('×');
            var riseText = f.Percent("frequencyRise", (decimal)verdict.FrequencyRisePct!.Value / 100m, window);
            title = $"Refresh the creative of “{ad.Name}”: click-through rate down {dropText}";
            reasoning =
                $"Its click-through rate fell from {ctrBefore} in its first days ({baselineWindow}) to {ctrNow} over the {window}, {dropText} lower, " +
                $"while frequency rose from {frequencyBefore} to {frequencyText} ({riseText} higher): the same people see it again and click less. " +
                $"It spent {spendText} in that time; about {expectedText} of it bought clicks the ad used to get for less. Try a new creative beside it.";
        }
        // How sure the click-through rate really fell: a two-proportion z-test of the first days against the last 7.
        var pooled = (baseline.Clicks + recent.Clicks) / (baseline.Impressions + recent.Impressions);
        var error = Math.Sqrt(pooled * (1 - pooled) * (1 / baseline.Impressions + 1 / recent.Impressions));
        var confidence = error > 0 && baseline.Ctr is { } before && recent.Ctr is { } now ? Statistics.NormalCdf((before - now) / error) : 0.5;
        return new Recommendation(Recommendation.KeyOf(RecommendationTypes.Test, "ad", ad.Id), RecommendationTypes.Test, RecommendationPriorities.Low,
            title, reasoning, f.Figures, new RecommendationImpact(expected, 0m, spend, $"ad spend buying less than it did, over the {horizon}"),
            Statistics.Probability(confidence), context.Lineage(ad), null);
    }
}
