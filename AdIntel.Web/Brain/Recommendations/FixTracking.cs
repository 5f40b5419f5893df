using System.Globalization;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Fix tracking: the circuit breaker's verdict (<see cref="TrackingHealth"/>): on some of the last 7 complete days
/// Meta reported far fewer purchases than its usual share of Shopify's orders predicts, beyond chance. The impact is
/// the ad spend of those days that Meta optimised without the purchases it missed.
/// </summary>
internal sealed class FixTracking : IRecommender
{
    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        var tracking = context.Tracking;
        if (!tracking.Broken || context.BrokenDayFacts.Count == 0)
        {
            yield break;
        }
        var orders = context.BrokenDayFacts.Sum(d => (decimal)d.Orders);
        var reported = context.BrokenDayFacts.Sum(d => d.PlatformPurchases);
        var expectedPurchases = tracking.ExpectedPurchases.Values.Sum();
        var spend = context.BrokenDayFacts.Sum(d => d.AdSpend);
        var seen = expectedPurchases > 0 ? Math.Min(1, reported / expectedPurchases) : 1;
        var blind = spend * (1 - seen);

        var f = new FigureSheet(context.Format);
        var window = "broken days: " + string.Join(", ", context.BrokenDayFacts.Select(d => d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var daysText = f.Count("brokenDays", context.BrokenDayFacts.Count, window);
        var ordersText = f.Count("shopifyOrders", orders, window);
        var reportedText = f.Count("platformPurchases", reported, window);
        var expectedText = f.Count("expectedPlatformPurchases", Math.Round(expectedPurchases, 1, MidpointRounding.AwayFromZero), window);
        var seenText = f.Percent("shareOfPurchasesSeen", seen, window);
        var spendText = f.Money("adSpend", spend, window);
        var blindText = f.Money("impactExpected", blind, window);
        f.Money("impactLow", 0m, window);
        f.Money("impactHigh", spend, window);

        var title = $"Fix purchase tracking: Meta reported {reportedText} purchases for {ordersText} Shopify orders";
        var reasoning =
            $"On {daysText} of the last complete days ({window}) Shopify recorded {ordersText} orders but Meta reported {reportedText} purchases, " +
            $"where its usual share of orders predicts about {expectedText}: it saw only {seenText} of them, far more missing than chance explains. " +
            $"Meta spent {spendText} on those days, about {blindText} of it optimised without the purchases it missed, and rules judge ads on the same wrong numbers" +
            (context.Rails.TrackingBreakerEnabled ? "; automation waits for approval until tracking recovers. " : ". ") +
            "Check that the pixel and the Conversions API still send purchase events, that they are deduplicated by event id, and the domain and data-sharing settings.";
        yield return new Recommendation($"{RecommendationTypes.Fix}:tracking:{context.Store.Id}", RecommendationTypes.Fix, RecommendationPriorities.High,
            title, reasoning, f.Figures, new RecommendationImpact(blind, 0m, spend, "ad spend optimised without its purchase signal, on the broken days"),
            Statistics.Probability(1 - tracking.ChanceIfWorking), [context.Store], null);
    }
}
