using AdIntel.Plugins.Abstractions;

namespace AdIntel.Plugins.CreativeFatigue;

/// <summary>
/// The creative-fatigue verdict, the one definition of it: compiled into this plugin, which judges ads for rules, and
/// into AdIntel.Web, whose creative report flags ads with it (a plugin's code is not shared with the host at run time).
/// </summary>
internal static class FatigueJudge
{
    /// <summary>
    /// Judges an ad's delivery over the <see cref="FatigueThresholds.RecentDays"/> days ending on
    /// <paramref name="lastDay"/> against its own first <see cref="FatigueThresholds.BaselineDays"/> days.
    /// </summary>
    /// <param name="history">Daily delivery, oldest first; the first day is where the baseline starts.</param>
    public static FatigueVerdict Judge(IReadOnlyList<DailyDelivery> history, DateOnly lastDay, FatigueThresholds thresholds)
    {
        if (history.Count == 0)
        {
            return new FatigueVerdict(FatigueFinding.NotDelivered, default, default);
        }
        var firstDay = history[0].Date;
        var baselineEnd = firstDay.AddDays(thresholds.BaselineDays - 1);
        var recentStart = lastDay.AddDays(1 - thresholds.RecentDays);
        var baseline = DeliveryWindow.Sum(history, firstDay, baselineEnd);
        var recent = DeliveryWindow.Sum(history, recentStart, lastDay);

        // A frequency this high wears any creative out, however young the ad or steady its CTR.
        if (thresholds.CriticalFrequency > 0 && recent.Impressions >= thresholds.MinImpressions && recent.Frequency > thresholds.CriticalFrequency)
        {
            return new FatigueVerdict(FatigueFinding.CriticalFrequency, baseline, recent);
        }
        if (recentStart <= baselineEnd)
        {
            return new FatigueVerdict(FatigueFinding.TooYoung, baseline, recent);
        }
        if (baseline.Impressions < thresholds.MinImpressions || recent.Impressions < thresholds.MinImpressions)
        {
            return new FatigueVerdict(FatigueFinding.TooFewImpressions, baseline, recent);
        }
        if (baseline.Ctr is not ({ } baselineCtr and not 0) || recent.Ctr is null || baseline.Frequency is not ({ } baselineFrequency and not 0)
            || recent.Frequency is null)
        {
            return new FatigueVerdict(FatigueFinding.NothingToCompare, baseline, recent);
        }
        var verdict = new FatigueVerdict(FatigueFinding.Decay, baseline, recent);
        return verdict.CtrDropPct >= thresholds.MinCtrDropPct && verdict.FrequencyRisePct >= thresholds.MinFrequencyRisePct
            ? verdict
            : verdict with { Finding = FatigueFinding.NoFatigue };
    }
}

/// <summary>What counts as fatigue; the defaults are the plugin's parameter defaults, which the creative report uses.</summary>
internal sealed record FatigueThresholds(
    int BaselineDays = 7,
    int RecentDays = 7,
    double MinCtrDropPct = 30,
    double MinFrequencyRisePct = 25,
    double MinImpressions = 1000,
    double CriticalFrequency = 3.5);

internal enum FatigueFinding
{
    NotDelivered,
    /// <summary>The recent window reaches into the first days: nothing to compare yet.</summary>
    TooYoung,
    TooFewImpressions,
    /// <summary>No clicks or no reach in the baseline, or none in the recent window.</summary>
    NothingToCompare,
    NoFatigue,
    /// <summary>Fatigued: recent frequency above <see cref="FatigueThresholds.CriticalFrequency"/>.</summary>
    CriticalFrequency,
    /// <summary>Fatigued: CTR fell and frequency rose against the first days, each by at least its threshold.</summary>
    Decay,
}

internal sealed record FatigueVerdict(FatigueFinding Finding, DeliveryWindow Baseline, DeliveryWindow Recent)
{
    public bool IsFatigued => Finding is FatigueFinding.CriticalFrequency or FatigueFinding.Decay;

    /// <summary>How far CTR fell, in percent of the baseline CTR (negative when it rose).</summary>
    public double? CtrDropPct => Baseline.Ctr is { } before and not 0 && Recent.Ctr is { } now ? (before - now) / before * 100 : null;

    /// <summary>How far frequency rose, in percent of the baseline frequency (negative when it fell).</summary>
    public double? FrequencyRisePct =>
        Baseline.Frequency is { } before and not 0 && Recent.Frequency is { } now ? (now - before) / before * 100 : null;
}

/// <summary>Delivery totals of a run of days and the two ratios compared.</summary>
internal readonly record struct DeliveryWindow(double Impressions, double Reach, double Clicks)
{
    public double? Ctr => Impressions > 0 ? Clicks / Impressions : null;

    /// <summary>Impressions ÷ Σ daily reach: a lower bound of the window's frequency, daily reach being all that is reported.</summary>
    public double? Frequency => Reach > 0 ? Impressions / Reach : null;

    public static DeliveryWindow Sum(IReadOnlyList<DailyDelivery> history, DateOnly first, DateOnly last)
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
        return new DeliveryWindow(impressions, reach, clicks);
    }
}
