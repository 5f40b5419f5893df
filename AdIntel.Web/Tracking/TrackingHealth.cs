using System.Globalization;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tracking;

/// <summary>Whether the ad platform's conversion tracking looks broken, and why.</summary>
public sealed record TrackingStatus(bool Broken, string Explanation, IReadOnlyList<DateOnly> BrokenDays)
{
    /// <summary>Each broken day's platform purchases as the usual share of Shopify orders predicts them.</summary>
    public IReadOnlyDictionary<DateOnly, decimal> ExpectedPurchases { get; init; } = new Dictionary<DateOnly, decimal>();

    /// <summary>
    /// How likely so few purchases over the broken days are by chance alone, were tracking working as usual (a Poisson
    /// probability; 1 when nothing is broken).
    /// </summary>
    public double ChanceIfWorking { get; init; } = 1;

    public static TrackingStatus Healthy(string explanation) => new(false, explanation, []);
}

/// <summary>
/// The circuit breaker's test. Rules judge ads by the purchases the platform reports; when the pixel or the
/// Conversions API breaks, every ad suddenly looks like it sells nothing and a stop-loss would pause the whole account.
/// Definition: a store-local day with ad spend and Shopify orders is <b>short</b> when the platform reported more than
/// the drop percentage (default 50%) fewer purchases than the usual share predicts (the median of platform purchases
/// per Shopify order over the <see cref="BaselineDays"/> days before, from days with at least <see cref="MinOrders"/>
/// orders; at least <see cref="MinBaselineDays"/> such days are needed to judge). A short day is <b>broken</b> when
/// its run — it and the short days right before and after it — fell so far below the prediction that chance cannot
/// explain it (a Poisson probability under <see cref="Significance"/>, with at least <see cref="MinOrders"/> orders
/// judged). Judging runs catches a small store's outage of a few days without flagging its ordinary quiet days, and a
/// day on its own evidence is never flagged for its neighbours' missing purchases.
/// Tracking counts as broken while any of the last <see cref="LookbackDays"/> complete days is broken — the window most
/// rules read — so automation stays off until the bad days have left the 7-day metrics.
/// </summary>
public static class TrackingHealth
{
    /// <summary>The drop that makes a day short unless the store chose another (Settings → Automation).</summary>
    public const decimal DefaultDropPercent = 50m;
    public const int MinOrders = 5;
    public const int BaselineDays = 28;
    public const int MinBaselineDays = 7;
    public const int LookbackDays = 7;
    public const double Significance = 0.001;

    /// <param name="factsInOrder">The store's daily facts, oldest first (at least the 36 days before <paramref name="today"/>).</param>
    public static TrackingStatus Evaluate(IReadOnlyList<DailyStoreFacts> factsInOrder, DateOnly today, decimal dropPercent)
    {
        var byDate = new Dictionary<DateOnly, DailyStoreFacts>();
        foreach (var facts in factsInOrder)
        {
            byDate[facts.Date] = facts;
        }
        var expectedByDay = new Dictionary<DateOnly, decimal?>();
        var keep = 1 - dropPercent / 100;

        // What the usual share of purchases per order predicts for the day, or null when the day proves nothing.
        decimal? Expected(DateOnly day)
        {
            if (expectedByDay.TryGetValue(day, out var known))
            {
                return known;
            }
            decimal? expected = null;
            if (day < today && byDate.TryGetValue(day, out var facts) && facts.AdSpend > 0 && facts.Orders > 0)
            {
                var baseline = new List<decimal>();
                for (var before = day.AddDays(-BaselineDays); before < day; before = before.AddDays(1))
                {
                    if (byDate.TryGetValue(before, out var b) && b.Orders >= MinOrders)
                    {
                        baseline.Add(b.PlatformPurchases / b.Orders);
                    }
                }
                if (baseline.Count >= MinBaselineDays)
                {
                    expected = Median(baseline) * facts.Orders;
                }
            }
            expectedByDay[day] = expected;
            return expected;
        }

        bool IsShort(DateOnly day) => Expected(day) is { } expected && expected > 0 && byDate[day].PlatformPurchases < expected * keep;

        var broken = new List<DateOnly>();
        for (var day = today.AddDays(-LookbackDays); day < today; day = day.AddDays(1))
        {
            if (!IsShort(day))
            {
                continue;
            }
            var first = day;
            var last = day;
            while (day.DayNumber - first.DayNumber < BaselineDays && IsShort(first.AddDays(-1)))
            {
                first = first.AddDays(-1);
            }
            while (last.DayNumber - day.DayNumber < BaselineDays && IsShort(last.AddDays(1)))
            {
                last = last.AddDays(1);
            }
            if (FarBeyondChance(first, last, byDate, Expected))
            {
                broken.Add(day);
            }
        }
        if (broken.Count == 0)
        {
            return TrackingStatus.Healthy("Platform purchases follow Shopify orders as usual.");
        }
        var days = string.Join(", ", broken.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var expected = broken.ToDictionary(d => d, d => Expected(d)!.Value);
        return new TrackingStatus(true, string.Create(CultureInfo.InvariantCulture,
            $"Tracking looks broken: around {days} Shopify had orders but the platform reported more than {dropPercent:0.#}% fewer purchases than usual, far beyond chance."),
            broken)
        {
            ExpectedPurchases = expected,
            ChanceIfWorking = PoissonAtMost(Math.Floor((double)broken.Sum(d => byDate[d].PlatformPurchases)), (double)expected.Values.Sum()),
        };
    }

    /// <summary>
    /// Every broken day from <paramref name="from"/> to <paramref name="to"/> by the same test, judged a week at a time
    /// (<paramref name="factsInOrder"/> from <see cref="BaselineDays"/> + <see cref="LookbackDays"/> days before
    /// <paramref name="from"/>): the days whose platform numbers cannot be trusted.
    /// </summary>
    public static IReadOnlySet<DateOnly> BrokenDaysBetween(IReadOnlyList<DailyStoreFacts> factsInOrder, DateOnly from, DateOnly to, decimal dropPercent)
    {
        var broken = new HashSet<DateOnly>();
        for (var judgedOn = from.AddDays(LookbackDays); ; judgedOn = judgedOn.AddDays(LookbackDays))
        {
            var today = judgedOn > to ? to.AddDays(1) : judgedOn;
            broken.UnionWith(Evaluate(factsInOrder, today, dropPercent).BrokenDays.Where(day => day >= from && day <= to));
            if (today > to)
            {
                return broken;
            }
        }
    }

    /// <summary>Whether the run of short days from <paramref name="first"/> to <paramref name="last"/> reported too few purchases for chance.</summary>
    private static bool FarBeyondChance(DateOnly first, DateOnly last, Dictionary<DateOnly, DailyStoreFacts> byDate, Func<DateOnly, decimal?> expectedOn)
    {
        int orders = 0;
        decimal expected = 0, reported = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            orders += byDate[day].Orders;
            expected += expectedOn(day)!.Value;
            reported += byDate[day].PlatformPurchases;
        }
        return orders >= MinOrders && PoissonAtMost(Math.Floor((double)reported), (double)expected) < Significance;
    }

    /// <summary>P(X ≤ k) for X ~ Poisson(mean): how likely so few purchases are by chance alone.</summary>
    private static double PoissonAtMost(double k, double mean)
    {
        double term = Math.Exp(-mean), sum = term;
        for (var i = 1; i <= k; i++)
        {
            term *= mean / i;
            sum += term;
        }
        return sum;
    }

    private static decimal Median(List<decimal> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
