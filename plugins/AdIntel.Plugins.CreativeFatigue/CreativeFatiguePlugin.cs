using System.Globalization;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Plugins.CreativeFatigue;

/// <summary>
/// Creative fatigue: the same people see an ad again and again (frequency rises) and click it less and less (CTR
/// decays). Each ad is compared with itself: its first week of delivery against its most recent days, so an ad with a
/// naturally low CTR is not flagged just for being below the account's average.
/// </summary>
public sealed class CreativeFatiguePlugin : IRulePlugin, IRuleFunctionProvider
{
    public string Id => "adintel.creative-fatigue";

    public string Name => "Creative fatigue";

    public string Description =>
        "Flags ads whose CTR fell and whose frequency rose against their own first week of delivery, and proposes refreshing (or pausing) the creative.";

    public IReadOnlyList<PluginParameter> Parameters { get; } =
    [
        new("baseline_days", "Length of the first-week baseline, in days from the first day with delivery.", 7, 3, 30),
        new("recent_days", "Recent window compared with the baseline: this many complete days before today.", 7, 3, 30),
        new("min_ctr_drop_pct", "Smallest CTR decline, in percent of the baseline CTR, that counts as fatigue.", 30, 1, 100),
        new("min_frequency_rise_pct", "Smallest frequency increase, in percent of the baseline frequency, that counts as fatigue.", 25, 0, 1000),
        new("min_impressions", "Impressions each window needs before CTR and frequency are trusted.", 1000, 0, 10_000_000),
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
        var baselineDays = (int)context.Parameter("baseline_days", 7);
        var recentDays = (int)context.Parameter("recent_days", 7);
        var minImpressions = context.Parameter("min_impressions", 1000);
        if (entity.History.Count == 0)
        {
            return RuleOutcome.NoMatch($"{entity.Name} has not delivered yet.");
        }

        var firstDay = entity.History[0].Date;
        var baselineEnd = firstDay.AddDays(baselineDays - 1);
        var recentStart = context.Today.AddDays(-recentDays);
        if (recentStart <= baselineEnd)
        {
            return RuleOutcome.NoMatch($"{entity.Name} started on {Day(firstDay)}: too young to compare its first {baselineDays} days with the last {recentDays}.");
        }

        var baseline = Window.Sum(entity.History, firstDay, baselineEnd);
        var recent = Window.Sum(entity.History, recentStart, context.Today.AddDays(-1));
        if (baseline.Impressions < minImpressions || recent.Impressions < minImpressions)
        {
            return RuleOutcome.NoMatch(string.Create(CultureInfo.InvariantCulture,
                $"{entity.Name} has too few impressions to judge ({baseline.Impressions:N0} in its first {baselineDays} days, {recent.Impressions:N0} in the last {recentDays}; {minImpressions:N0} needed in each)."));
        }
        if (baseline.Ctr is not { } baselineCtr || recent.Ctr is not { } recentCtr || baseline.Frequency is not { } baselineFrequency
            || recent.Frequency is not { } recentFrequency || baselineCtr == 0 || baselineFrequency == 0)
        {
            return RuleOutcome.NoMatch($"{entity.Name} lacks clicks or reach to compare.");
        }

        var ctrDrop = (baselineCtr - recentCtr) / baselineCtr * 100;
        var frequencyRise = (recentFrequency - baselineFrequency) / baselineFrequency * 100;
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"CTR {baselineCtr * 100:0.00}% in its first {baselineDays} days vs {recentCtr * 100:0.00}% in the last {recentDays} ({-ctrDrop:+0;-0}%), frequency {baselineFrequency:0.00} vs {recentFrequency:0.00} ({frequencyRise:+0;-0}%)");
        if (ctrDrop < context.Parameter("min_ctr_drop_pct", 30) || frequencyRise < context.Parameter("min_frequency_rise_pct", 25))
        {
            return RuleOutcome.NoMatch($"{entity.Name} shows no fatigue: {numbers}.");
        }

        var message = $"Creative fatigue on {entity.Name}: {numbers}. Refresh the creative or widen the audience.";
        var notify = new ProposedAction(ActionTypes.Notify, new Dictionary<string, string> { ["message"] = message });
        return context.Parameter("pause", 0) >= 1
            ? RuleOutcome.Match(message, new ProposedAction(ActionTypes.Pause), notify)
            : RuleOutcome.Match(message, notify);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Delivery totals of a run of days and the two ratios compared.</summary>
    private readonly record struct Window(double Impressions, double Reach, double Clicks)
    {
        public double? Ctr => Impressions > 0 ? Clicks / Impressions : null;
        public double? Frequency => Reach > 0 ? Impressions / Reach : null;

        public static Window Sum(IReadOnlyList<DailyDelivery> history, DateOnly first, DateOnly last)
        {
            double impressions = 0, reach = 0, clicks = 0;
            foreach (var day in history)
            {
                if (day.Date >= first && day.Date <= last)
                {
                    impressions += day.Impressions;
                    reach += day.Reach;
                    clicks += day.Clicks;
                }
            }
            return new Window(impressions, reach, clicks);
        }
    }
}
