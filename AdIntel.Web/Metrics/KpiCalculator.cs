using AdIntel.Web.Domain;

namespace AdIntel.Web.Metrics;

/// <summary>The store metrics' formulas (docs/metrics.md), as pure functions of a period's facts, the store's cost settings and its LTV curve.</summary>
public static class KpiCalculator
{
    public static KpiSet Compute(DateRange period, FactTotals t, StoreSettings settings, decimal otherMarketingSpend, LtvCurve ltv)
    {
        var netSales = t.GrossSales - t.Discounts - t.Returns;
        var totalSales = netSales + t.Shipping + t.Taxes;
        var marketingSpend = t.AdSpend + otherMarketingSpend;
        var grossProfit = netSales - t.Cogs;
        var paymentFees = t.OrderTotals * settings.PaymentFeePercent / 100m + t.Orders * settings.PaymentFeeFixed;
        var shippingCosts = t.Orders * settings.ShippingCostPerOrder;
        var contributionMargin = grossProfit + t.Shipping - shippingCosts - paymentFees;
        var cac = Ratio(marketingSpend, t.NewCustomers);
        return new KpiSet
        {
            Period = period,
            GrossSales = t.GrossSales,
            Discounts = t.Discounts,
            Returns = t.Returns,
            NetSales = netSales,
            Shipping = t.Shipping,
            Taxes = t.Taxes,
            TotalSales = totalSales,
            Orders = t.Orders,
            NewCustomers = t.NewCustomers,
            Aov = Ratio(t.GrossSales - t.Discounts, t.Orders),
            AdSpend = t.AdSpend,
            MarketingSpend = marketingSpend,
            Mer = Ratio(totalSales, marketingSpend),
            Roas = Ratio(t.PlatformPurchaseValue, t.AdSpend),
            NcRoas = Ratio(t.NewCustomerNetSales, t.AdSpend),
            Cac = cac,
            Cogs = t.Cogs,
            CogsCoverage = Ratio(t.LineSalesWithCost, t.LineSales),
            GrossProfit = grossProfit,
            ContributionMargin = contributionMargin,
            ProfitAfterAds = contributionMargin - marketingSpend,
            BreakEvenRoas = Ratio(netSales, contributionMargin),
            Poas = Ratio(contributionMargin, t.AdSpend),
            Ltv = ltv.Ltv,
            LtvBasis = ltv.Basis,
            LtvToCac = ltv.Ltv is { } value && cac is { } perCustomer ? Ratio(value, perCustomer) : null,
            PaybackDays = ltv.PaybackDays(cac),
            OtherMarketingSpend = otherMarketingSpend,
            PaymentFees = paymentFees,
            ShippingCosts = shippingCosts,
            PlatformPurchaseValue = t.PlatformPurchaseValue,
            NewCustomerNetSales = t.NewCustomerNetSales,
            LineItems = t.LineItems,
            LineItemsWithCost = t.LineItemsWithCost,
            LineSales = t.LineSales,
            LineSalesWithCost = t.LineSalesWithCost,
        };
    }

    /// <summary>
    /// Other marketing costs of the days of <paramref name="range"/> up to <paramref name="today"/>: each day carries
    /// its month's amount divided by that month's number of days. Days still to come cost nothing yet.
    /// </summary>
    public static decimal OtherMarketingSpend(DateRange range, decimal perMonth, DateOnly today)
    {
        if (perMonth == 0)
        {
            return 0;
        }
        var total = 0m;
        foreach (var day in range.EachDay())
        {
            if (day > today)
            {
                break;
            }
            total += perMonth / DateTime.DaysInMonth(day.Year, day.Month);
        }
        return total;
    }

    public static decimal? Ratio(decimal numerator, decimal denominator) => denominator == 0 ? null : numerator / denominator;

    /// <summary>
    /// The contribution margin a campaign, ad set or ad earned by the platform's attribution: its purchase value ×
    /// the store's margin per unit of total sales in the same period (<see cref="KpiSet.MarginPerSale"/>). An estimate:
    /// it trusts Meta's attribution and assumes the attributed orders carry the store's average margin.
    /// </summary>
    public static decimal? AttributedMargin(decimal purchaseValue, decimal? marginPerSale) => purchaseValue * marginPerSale;

    /// <summary>Estimated profit of an entity: attributed margin − its spend (null without a store margin).</summary>
    public static decimal? EstimatedProfit(decimal purchaseValue, decimal spend, decimal? marginPerSale) =>
        AttributedMargin(purchaseValue, marginPerSale) - spend;

    /// <summary>Estimated POAS of an entity: attributed margin ÷ its spend, the store's POAS (contribution margin ÷ ad spend) per entity.</summary>
    public static decimal? EstimatedPoas(decimal purchaseValue, decimal spend, decimal? marginPerSale) =>
        AttributedMargin(purchaseValue, marginPerSale) is { } margin ? Ratio(margin, spend) : null;
}
