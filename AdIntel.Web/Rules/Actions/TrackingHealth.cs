using System.Globalization;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Rules.Actions;

/// <summary>Whether the ad platform's conversion tracking looks broken, and why.</summary>
public sealed record TrackingStatus(bool Broken, string Explanation, IReadOnlyList<DateOnly> BrokenDays)
{
    public static TrackingStatus Healthy(string explanation) => new(false, explanation, []);
}

/// <summary>
/// The circuit breaker's test. Rules judge ads by the purchases the platform reports; when the pixel or the
/// Conversions API breaks, every ad suddenly looks like it sells nothing and a stop-loss would pause the whole account.
/// Definition: a store-local day with ad spend is <b>broken</b> when Shopify had orders but the platform reported far
/// fewer purchases than usual — on that day alone, or pooled with the day before and after (so a small store's
/// outage of a few days is caught without flagging its ordinary quiet days). "Far fewer" means both: more than the drop
/// percentage (default 50%) below what the usual share predicts (the median of platform purchases per Shopify order
/// over the <see cref="BaselineDays"/> days before, from days with at least <see cref="MinOrders"/> orders; at least
/// <see cref="MinBaselineDays"/> such days are needed to judge), and so far below that chance cannot explain it (a
/// Poisson probability under <see cref="Significance"/>), with at least <see cref="MinOrders"/> orders judged.
/// Tracking counts as broken while any of the last <see cref="LookbackDays"/> complete days is broken — the window most
/// rules read — so automation stays off until the bad days have left the 7-day metrics.
/// </summary>
public static class TrackingHealth
{
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
        var broken = new List<DateOnly>();
        for (var day = today.AddDays(-LookbackDays); day < today; day = day.AddDays(1))
        {
            if (!byDate.TryGetValue(day, out var facts) || facts.AdSpend <= 0 || facts.Orders == 0)
            {
                continue;
            }
            var baseline = new List<decimal>();
            for (var before = day.AddDays(-BaselineDays); before < day; before = before.AddDays(1))
            {
                if (byDate.TryGetValue(before, out var b) && b.Orders >= MinOrders)
                {
                    baseline.Add(b.PlatformPurchases / b.Orders);
                }
            }
            if (baseline.Count < MinBaselineDays)
            {
                continue;
            }
            var usualShare = Median(baseline);
            // The day after counts only when it is complete (before today).
            var pooled = new[] { day.AddDays(-1), day, day.AddDays(1) }.Where(d => d < today && byDate.ContainsKey(d)).Select(d => byDate[d]).ToList();
            if (Collapsed([facts], usualShare, dropPercent) || Collapsed(pooled, usualShare, dropPercent))
            {
                broken.Add(day);
            }
        }
        if (broken.Count == 0)
        {
            return TrackingStatus.Healthy("Platform purchases follow Shopify orders as usual.");
        }
        var days = string.Join(", ", broken.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        return new TrackingStatus(true, string.Create(CultureInfo.InvariantCulture,
            $"Tracking looks broken: around {days} Shopify had orders but the platform reported more than {dropPercent:0.#}% fewer purchases than usual, far beyond chance."),
            broken);
    }

    private static bool Collapsed(IReadOnlyList<DailyStoreFacts> days, decimal usualShare, decimal dropPercent)
    {
        var orders = days.Sum(d => d.Orders);
        if (orders < MinOrders || usualShare <= 0)
        {
            return false;
        }
        var expected = (double)(usualShare * orders);
        var reported = (double)days.Sum(d => d.PlatformPurchases);
        return reported < expected * (1 - (double)dropPercent / 100) && PoissonAtMost(Math.Floor(reported), expected) < Significance;
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
