using System.Globalization;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Plugins.CreativeFatigue;

/// <summary>
/// Creative fatigue: the same people see an ad again and again (frequency rises) and click it less and less (CTR
/// decays). Each ad is compared with itself: its first week of delivery against its most recent days, so an ad with a
/// naturally low CTR is not flagged just for being below the account's average; a frequency above the critical level
/// counts on its own. The verdict is <see cref="FatigueJudge"/>'s, which the creative report uses too.
/// </summary>
public sealed class CreativeFatiguePlugin : IRulePlugin, IRuleFunctionProvider
{
    public string Id => "adintel.creative-fatigue";

    public IReadOnlyList<PluginParameter> Parameters { get; } =
    [
        new("baseline_days", "Length of the first-week baseline, in days from the first day with delivery.", 7, 3, 30),
        new("recent_days", "Recent window compared with the baseline: this many complete days before today.", 7, 3, 30),
        new("min_ctr_drop_pct", "Smallest CTR decline, in percent of the baseline CTR, that counts as fatigue.", 30, 1, 100),
        new("min_frequency_rise_pct", "Smallest frequency increase, in percent of the baseline frequency, that counts as fatigue.", 25, 0, 1000),
        new("min_impressions", "Impressions each window needs before CTR and frequency are trusted.", 1000, 0, 10_000_000),
        new("critical_frequency", "Frequency over the recent window above which the ad counts as fatigued whatever its CTR; 0 turns this off.", 3.5, 0, 100),
        new("pause", "1 to propose pausing the ad as well as telling you; 0 to only tell you.", 0, 0, 1),
    ];

    public IReadOnlyList<RuleFunction> Functions { get; } =
    [
        new("decay_pct", "How far 'current' fell below 'baseline', in percent of baseline: decay_pct(ctr_30d, ctr_3d) > 30. Negative when it rose; missing when baseline is 0.",
            ["baseline", "current"],
            args => args[0] is { } baseline && args[1] is { } current && baseline != 0 ? (baseline - current) / baseline * 100 : null),
    ];

    public RuleOutcome Evaluate(PluginEvaluationContext context)
    {
        var entity = context.Entity;
        var thresholds = new FatigueThresholds(
            BaselineDays: (int)context.Parameter("baseline_days", 7),
            RecentDays: (int)context.Parameter("recent_days", 7),
            MinCtrDropPct: context.Parameter("min_ctr_drop_pct", 30),
            MinFrequencyRisePct: context.Parameter("min_frequency_rise_pct", 25),
            MinImpressions: context.Parameter("min_impressions", 1000),
            CriticalFrequency: context.Parameter("critical_frequency", 3.5));
        // Today is still under way: the recent window is the complete days before it.
        var verdict = FatigueJudge.Judge(entity.History, context.Today.AddDays(-1), thresholds);
        var (baseline, recent) = (verdict.Baseline, verdict.Recent);
        var (baselineDays, recentDays) = (thresholds.BaselineDays, thresholds.RecentDays);
        switch (verdict.Finding)
        {
            case FatigueFinding.NotDelivered:
                return RuleOutcome.NoMatch($"{entity.Name} has not delivered yet.");
            case FatigueFinding.TooYoung:
                return RuleOutcome.NoMatch($"{entity.Name} started on {Day(entity.History[0].Date)}: too young to compare its first {baselineDays} days with the last {recentDays}.");
            case FatigueFinding.TooFewImpressions:
                return RuleOutcome.NoMatch(string.Create(CultureInfo.InvariantCulture,
                    $"{entity.Name} has too few impressions to judge ({baseline.Impressions:N0} in its first {baselineDays} days, {recent.Impressions:N0} in the last {recentDays}; {thresholds.MinImpressions:N0} needed in each)."));
            case FatigueFinding.NothingToCompare:
                return RuleOutcome.NoMatch($"{entity.Name} lacks clicks or reach to compare.");
            case FatigueFinding.NoFatigue:
                return RuleOutcome.NoMatch($"{entity.Name} shows no fatigue: {Comparison(verdict, baselineDays, recentDays)}.");
        }

        var message = verdict.Finding == FatigueFinding.CriticalFrequency
            ? string.Create(CultureInfo.InvariantCulture,
                $"Creative fatigue on {entity.Name}: frequency {recent.Frequency:0.00} in the last {recentDays} days, above {thresholds.CriticalFrequency:0.0}. Refresh the creative or widen the audience.")
            : $"Creative fatigue on {entity.Name}: {Comparison(verdict, baselineDays, recentDays)}. Refresh the creative or widen the audience.";
        var notify = new ProposedAction(ActionTypes.Notify, new Dictionary<string, string> { ["message"] = message });
        return context.Parameter("pause", 0) >= 1
            ? RuleOutcome.Match(message, new ProposedAction(ActionTypes.Pause), notify)
            : RuleOutcome.Match(message, notify);
    }

    private static string Comparison(FatigueVerdict verdict, int baselineDays, int recentDays) => string.Create(CultureInfo.InvariantCulture,
        $"CTR {verdict.Baseline.Ctr * 100:0.00}% in its first {baselineDays} days vs {verdict.Recent.Ctr * 100:0.00}% in the last {recentDays} ({-verdict.CtrDropPct:+0;-0}%), frequency {verdict.Baseline.Frequency:0.00} vs {verdict.Recent.Frequency:0.00} ({verdict.FrequencyRisePct:+0;-0}%)");

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
