using AdIntel.Web.Metrics;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Monitor: a store metric that is below its target over the last 30 complete days and falling against the 30 days
/// before — MER (what all marketing brings in sales) and LTV:CAC (cohort economics: a customer's first-year gross
/// profit against what acquiring one costs). The impact is the marketing spend above what the target allows: for MER
/// the spend beyond total sales ÷ target, for LTV:CAC the CAC beyond LTV ÷ target, times the new customers.
/// </summary>
internal sealed class OffTargetTrends : IRecommender
{
    public IEnumerable<Recommendation> Recommend(RecommendationContext context)
    {
        if (Mer(context) is { } mer)
        {
            yield return mer;
        }
        if (LtvToCac(context) is { } ltvToCac)
        {
            yield return ltvToCac;
        }
    }

    private static Recommendation? Mer(RecommendationContext context)
    {
        var (now, before, target) = (context.Last30Days, context.Previous30Days, context.Targets.MerTarget);
        if (!FallingBelow(target, now.Mer, before.Mer))
        {
            return null;
        }
        var allowed = now.TotalSales / target.Value;
        var excess = now.MarketingSpend - allowed;

        var f = new FigureSheet(context.Format);
        var merText = f.Ratio("mer", now.Mer!.Value, context.Last30);
        var beforeText = f.Ratio("merBefore", before.Mer!.Value, context.Previous30);
        var targetText = f.Ratio("targetMer", target.Value, TargetWindow(target));
        var spendText = f.Money("marketingSpend", now.MarketingSpend, context.Last30);
        var salesText = f.Money("totalSales", now.TotalSales, context.Last30);
        var allowedText = f.Money("marketingSpendAtTarget", allowed, context.Last30);
        var excessText = f.Money("impactExpected", excess, context.Last30);
        f.Money("impactLow", 0m, context.Last30);
        f.Money("impactHigh", excess, context.Last30);

        var title = $"MER is {merText}, below your target of {targetText} and falling";
        var reasoning =
            $"Over the {context.Last30} marketing spend of {spendText} brought {salesText} of total sales: MER {merText}, down from {beforeText} " +
            $"over the {context.Previous30}. At your target of {targetText} these sales would have needed {allowedText} of marketing, {excessText} less. " +
            "Look first where spend grew without sales: the worst campaigns by estimated profit and the pause recommendations.";
        return new Recommendation($"{RecommendationTypes.Monitor}:mer:{context.Store.Id}", RecommendationTypes.Monitor, RecommendationPriorities.Medium,
            title, reasoning, f.Figures, new RecommendationImpact(excess, 0m, excess, "marketing spend above what the MER target allows, last 30 complete days"),
            1m, [context.Store], null);
    }

    private static Recommendation? LtvToCac(RecommendationContext context)
    {
        var (now, before, target) = (context.Last30Days, context.Previous30Days, context.Targets.LtvToCacTarget);
        if (!FallingBelow(target, now.LtvToCac, before.LtvToCac) || now.Ltv is not { } ltv || now.Cac is not { } cac)
        {
            return null;
        }
        var cacAtTarget = ltv / target.Value;
        var excess = (cac - cacAtTarget) * now.NewCustomers;

        var f = new FigureSheet(context.Format);
        var ltvWindow = now.LtvBasis == LtvBasis.Predicted ? "predicted first-year gross profit per customer" : "first-year gross profit per customer, cohorts a year old";
        var ratioText = f.Ratio("ltvToCac", now.LtvToCac!.Value, context.Last30);
        var beforeText = f.Ratio("ltvToCacBefore", before.LtvToCac!.Value, context.Previous30);
        var targetText = f.Ratio("targetLtvToCac", target.Value, TargetWindow(target));
        var cacText = f.Money("cac", cac, context.Last30);
        var ltvText = f.Money("ltv", ltv, ltvWindow);
        var cacAtTargetText = f.Money("cacAtTarget", cacAtTarget, TargetWindow(target));
        var customersText = f.Count("newCustomers", now.NewCustomers, context.Last30);
        var excessText = f.Money("impactExpected", excess, context.Last30);
        f.Money("impactLow", 0m, context.Last30);
        f.Money("impactHigh", excess, context.Last30);

        var title = $"LTV:CAC is {ratioText}, below your target of {targetText} and falling";
        var reasoning =
            $"Over the {context.Last30} a new customer cost {cacText} (CAC) against a first-year gross profit of {ltvText} (LTV): LTV:CAC {ratioText}, " +
            $"down from {beforeText} over the {context.Previous30}. Your target of {targetText} allows at most {cacAtTargetText} per new customer; " +
            $"the {customersText} new customers cost {excessText} more than that. Favour what wins new customers cheaply (new-customer ROAS) before scaling prospecting.";
        return new Recommendation($"{RecommendationTypes.Monitor}:ltv_to_cac:{context.Store.Id}", RecommendationTypes.Monitor, RecommendationPriorities.Medium,
            title, reasoning, f.Figures, new RecommendationImpact(excess, 0m, excess, "acquisition spend above what the LTV:CAC target allows, last 30 complete days"),
            1m, [context.Store], null);
    }

    /// <summary>Off target now, and worse than before (a trend, not one bad month in a good direction).</summary>
    private static bool FallingBelow(KpiTarget target, decimal? now, decimal? before) =>
        now is { } value && before is { } previous && target.IsMet(value) == false && value < previous;

    private static string TargetWindow(KpiTarget target) => target.IsDefault ? "default target" : "your target";
}
