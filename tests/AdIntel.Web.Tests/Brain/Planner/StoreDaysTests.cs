using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Brain.Planner;

public sealed class StoreDaysTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly DateRange Window = DatePreset.Last90Days.RangeEndingOn(Today);

    [Fact]
    public void Demand_is_the_weeks_orders_against_the_last_weeks_and_sales_events_are_left_out()
    {
        // 50 orders a day, 100 a day over the last 30 days, and one sales day of 300.
        var facts = Days(day => day == Today.AddDays(-45) ? 300 : day >= Today.AddDays(-30) ? 100 : 50);

        var store = StoreDays.From(facts, Window, 50);

        Assert.Equal(1.0, store.DemandOn(Today.AddDays(-3)), 6);
        Assert.Equal(0.5, store.DemandOn(Today.AddDays(-70)), 6);
        // A week straddling the change: 3 days at 50 and 4 at 100.
        Assert.Equal((3 * 50 + 4 * 100) / 7.0 / 100, store.DemandOn(Today.AddDays(-30)), 6);
        Assert.Equal(ExcludedDay.UnusualDemand, Assert.Single(store.Excluded).Value);
        Assert.Equal(Today.AddDays(-45), store.Excluded.Keys.Single());
        Assert.Equal(new SpendDay(Today.AddDays(-70), 200, 600), store.AtTodaysDemand(new SpendDay(Today.AddDays(-70), 100, 300)));
    }

    [Fact]
    public void A_store_without_orders_is_not_adjusted()
    {
        var store = StoreDays.From(Days(_ => 0), Window, 50);

        Assert.All(Window.EachDay(), day => Assert.Equal(1.0, store.DemandOn(day)));
        Assert.Empty(store.Excluded);
    }

    /// <summary>
    /// The season moves demand ±40 % over the window, the advertiser's spend follows it (and moves its budget a little
    /// besides), and the ads' value scales with the people in the market: value = demand × f(spend ÷ demand). Scaled to
    /// today's demand the fit finds f's marginal ROAS at today's spend; fitted as reported, the season passes for spend's
    /// doing and the next dollar looks about as good as the average one.
    /// </summary>
    [Fact]
    public void Scaling_to_todays_demand_removes_the_season_from_the_curve()
    {
        var truth = new LogSpendResponse(2000, 300);
        double Demand(DateOnly day) => 1 + 0.4 * Math.Sin((day.DayNumber - Window.From.DayNumber) * 2 * Math.PI / 60);
        var facts = Days(day => (int)Math.Round(200 * Demand(day)));
        var store = StoreDays.From(facts, Window, 50);
        var tests = new SyntheticEntity(truth, 300, 0.03, 7, 0.8, 1.25).Days();
        var days = Window.EachDay().Select((day, i) =>
        {
            // Demand as the week's orders measure it, relative to the last week's: what the planner can know.
            var demand = store.DemandOn(day);
            var spend = tests[i].Spend * Math.Pow(demand, 0.9);
            return new SpendDay(day, spend, demand * truth.Value(spend / demand) * tests[i].Value / truth.Value(tests[i].Spend));
        }).ToList();
        var todaySpend = days.TakeLast(7).Average(d => d.Spend);

        var scaled = SpendResponseFitter.Fit(days.Select(store.AtTodaysDemand).ToList(), 1);
        var reported = SpendResponseFitter.Fit(days, 1);

        var marginal = truth.Marginal(todaySpend);
        Assert.InRange(scaled.Curve!.Marginal(todaySpend), marginal * 0.9, marginal * 1.1);
        Assert.True(reported.Curve!.Marginal(todaySpend) > marginal * 1.25, $"as reported: marginal ROAS {reported.Curve.Marginal(todaySpend):F2}, true {marginal:F2}");
    }

    /// <summary>Facts for the window and the tracking test's baseline before it, with steady platform purchases per order.</summary>
    private static List<DailyStoreFacts> Days(Func<DateOnly, int> orders)
    {
        var first = Window.From.AddDays(-40);
        return Enumerable.Range(0, Window.To.DayNumber - first.DayNumber + 1)
            .Select(i => first.AddDays(i))
            .Select(day => new DailyStoreFacts { Date = day, Orders = orders(day), AdSpend = 1000, PlatformPurchases = orders(day) * 0.6m })
            .ToList();
    }
}
