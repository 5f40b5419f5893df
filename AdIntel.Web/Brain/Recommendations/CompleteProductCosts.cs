namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Fix product costs: over the last 30 complete days less than <see cref="KpiSet.LowCogsCoverage"/> of the line sales had a
/// unit cost (<c>cogsCoverage</c>), so COGS misses costs and contribution margin, POAS and profit look better than they
/// are. The missing costs are estimated at the cost ratio of the costed sales (at most what the uncosted items sold for,
/// at least nothing); with no costed sale at all, at half of what they sold for.
/// </summary>
internal sealed class CompleteProductCosts : IRecommender
{
    /// <summary>Below this coverage the recommendation is urgent.</summary>
    public const decimal UrgentCoverage = 0.5m;

    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        var k = context.Last30Days;
        if (!k.HasLowCogsCoverage || k.CogsCoverage is not { } coverage)
        {
            yield break;
        }
        var missing = k.LineItems - k.LineItemsWithCost;
        // What the uncosted items sold for: the most their costs can plausibly be.
        var high = Math.Max(0, k.LineSales - k.LineSalesWithCost);
        var expected = k.LineSalesWithCost > 0 ? Math.Min(high, k.Cogs / k.LineSalesWithCost * high) : high / 2;

        var f = new FigureSheet(context.Format);
        var window = context.Last30;
        var coverageText = f.Percent("cogsCoverage", coverage, window);
        var missingText = f.Count("lineItemsWithoutCost", missing, window);
        var itemsText = f.Count("lineItems", k.LineItems, window);
        var cogsText = f.Money("cogs", k.Cogs, window);
        var marginText = f.Money("contributionMargin", k.ContributionMargin, window);
        var expectedText = f.Money("impactExpected", expected, window);
        var lowText = f.Money("impactLow", 0m, window);
        var highText = f.Money("impactHigh", high, window);

        var title = $"Enter product costs: {missingText} of {itemsText} items sold have none";
        var reasoning =
            $"Over the {window} only {coverageText} of the sales had a unit cost, so COGS ({cogsText}) leaves out the cost of {missingText} items, " +
            $"and contribution margin ({marginText}), POAS, profit after ads and break-even CPA look better than they are. " +
            (k.LineItemsWithCost > 0
                ? $"If those items cost as much of their price as the others do, about {expectedText} of costs are missing (between {lowText} and {highText}, what they sold for). "
                : $"About {expectedText} of costs may be missing (between {lowText} and {highText}, what those items sold for). ") +
            "Enter the missing costs on the Costs page (or as a costs CSV), or per variant in Shopify (Products → variant → Cost per item).";
        yield return new Recommendation($"{RecommendationTypes.Fix}:product_costs:{context.Store.Id}", RecommendationTypes.Fix,
            coverage < UrgentCoverage ? RecommendationPriorities.High : RecommendationPriorities.Medium, title, reasoning, f.Figures,
            new RecommendationImpact(expected, 0m, high, "costs missing from contribution margin"), 1m, [context.Store], null);
    }
}
