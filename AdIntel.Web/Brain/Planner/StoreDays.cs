using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Brain.Planner;

/// <summary>Why a day is left out of a budget's fit.</summary>
public enum ExcludedDay
{
    /// <summary>The platform's purchase tracking was broken that day (<see cref="TrackingHealth"/>): its value is not the ads' doing.</summary>
    BrokenTracking,
    /// <summary>A sales event: the store took more than <see cref="StoreDays.UnusualDemand"/> times the median daily orders of the four weeks around it.</summary>
    UnusualDemand,
}

/// <summary>
/// What the store's own days say about each day of the planner's window: which days no budget's fit may use, and how
/// busy the store was, relative to today.
/// <para><b>Demand.</b> Advertisers spend more when the store sells more, and the same spend buys more when more people
/// are in the market: left as they are, the season's swings would show as a straight line through every budget's points.
/// Each day's demand is the store's orders over the week around it (the 7 days centred on it, as far as the window
/// reaches), relative to the last 7 complete days' — today's demand. Spend and value of a day are divided by it
/// (<see cref="AtTodaysDemand"/>), so every point reads "what this day would have been at today's demand" and the fitted
/// curve is the one that holds today. Orders over a week, not the day's own: a day's orders add noise and weekday
/// swings the budgets barely follow.</para>
/// </summary>
public sealed record StoreDays(IReadOnlyDictionary<DateOnly, ExcludedDay> Excluded, IReadOnlyDictionary<DateOnly, double> Demand)
{
    /// <summary>
    /// Days with more than this many times the median daily orders of the <see cref="EventHalfWindow"/> days either side
    /// are sales events, left out of the fits: Black Friday week stands out from its month, a store that grows does not.
    /// </summary>
    public const double UnusualDemand = 1.5;

    private const int EventHalfWindow = 14;
    private const int DemandHalfWeek = 3;

    /// <param name="factsInOrder">The store's daily facts from at least <see cref="TrackingHealth.BaselineDays"/> +
    /// <see cref="TrackingHealth.LookbackDays"/> days before the window to its end, oldest first.</param>
    public static StoreDays From(IReadOnlyList<DailyStoreFacts> factsInOrder, DateRange window, decimal trackingDropPercent)
    {
        var excluded = new Dictionary<DateOnly, ExcludedDay>();
        var orders = factsInOrder.Where(f => window.Contains(f.Date)).ToDictionary(f => f.Date, f => f.Orders);
        foreach (var day in window.EachDay())
        {
            var around = window.EachDay().Where(d => Math.Abs(d.DayNumber - day.DayNumber) <= EventHalfWindow)
                .Select(d => orders.GetValueOrDefault(d)).Order().ToList();
            if (orders.GetValueOrDefault(day) > UnusualDemand * around[around.Count / 2])
            {
                excluded[day] = ExcludedDay.UnusualDemand;
            }
        }
        foreach (var day in TrackingHealth.BrokenDaysBetween(factsInOrder, window.From, window.To, trackingDropPercent))
        {
            excluded[day] = ExcludedDay.BrokenTracking;
        }

        double Level(DateOnly from, DateOnly to)
        {
            var days = window.EachDay().Where(d => d >= from && d <= to).ToList();
            return days.Count == 0 ? 0 : days.Average(d => (double)orders.GetValueOrDefault(d));
        }
        var today = Level(window.To.AddDays(-6), window.To);
        var demand = new Dictionary<DateOnly, double>();
        foreach (var day in window.EachDay())
        {
            var level = Level(day.AddDays(-DemandHalfWeek), day.AddDays(DemandHalfWeek));
            // Without orders to compare with there is nothing to adjust for.
            demand[day] = today > 0 && level > 0 ? level / today : 1.0;
        }
        return new StoreDays(excluded, demand);
    }

    public double DemandOn(DateOnly day) => Demand.TryGetValue(day, out var demand) ? demand : 1.0;

    /// <summary>The day's spend and value scaled to today's demand.</summary>
    public SpendDay AtTodaysDemand(SpendDay day)
    {
        var demand = DemandOn(day.Date);
        return day with { Spend = day.Spend / demand, Value = day.Value / demand };
    }
}
