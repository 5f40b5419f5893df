using AdIntel.Web.Domain;

namespace AdIntel.Web.Metrics;

/// <summary>Additive totals of a run of days, summed from <see cref="DailyStoreFacts"/>.</summary>
public sealed record FactTotals
{
    public int Orders { get; init; }
    public decimal GrossSales { get; init; }
    public decimal Discounts { get; init; }
    public decimal Returns { get; init; }
    public decimal Shipping { get; init; }
    public decimal Taxes { get; init; }
    public decimal OrderTotals { get; init; }
    public decimal Cogs { get; init; }
    public int LineItems { get; init; }
    public int LineItemsWithCost { get; init; }
    public decimal LineSales { get; init; }
    public decimal LineSalesWithCost { get; init; }
    public int NewCustomers { get; init; }
    public decimal NewCustomerNetSales { get; init; }
    public decimal AdSpend { get; init; }
    public decimal PlatformPurchaseValue { get; init; }

    public static FactTotals Sum(IEnumerable<DailyStoreFacts> days)
    {
        int orders = 0, lineItems = 0, lineItemsWithCost = 0, newCustomers = 0;
        decimal gross = 0, discounts = 0, returns = 0, shipping = 0, taxes = 0, orderTotals = 0, cogs = 0, lineSales = 0, lineSalesWithCost = 0,
            newCustomerNet = 0, spend = 0, value = 0;
        foreach (var d in days)
        {
            orders += d.Orders;
            gross += d.GrossSales;
            discounts += d.Discounts;
            returns += d.Returns;
            shipping += d.Shipping;
            taxes += d.Taxes;
            orderTotals += d.OrderTotals;
            cogs += d.Cogs;
            lineItems += d.LineItems;
            lineItemsWithCost += d.LineItemsWithCost;
            lineSales += d.LineSales;
            lineSalesWithCost += d.LineSalesWithCost;
            newCustomers += d.NewCustomers;
            newCustomerNet += d.NewCustomerNetSales;
            spend += d.AdSpend;
            value += d.PlatformPurchaseValue;
        }
        return new FactTotals
        {
            Orders = orders, GrossSales = gross, Discounts = discounts, Returns = returns, Shipping = shipping, Taxes = taxes,
            OrderTotals = orderTotals, Cogs = cogs, LineItems = lineItems, LineItemsWithCost = lineItemsWithCost,
            LineSales = lineSales, LineSalesWithCost = lineSalesWithCost,
            NewCustomers = newCustomers, NewCustomerNetSales = newCustomerNet, AdSpend = spend, PlatformPurchaseValue = value,
        };
    }
}

/// <summary>
/// Every store metric for one period, unrounded (rounding happens at the API edge and in the UI).
/// Ratios whose denominator is zero are null.
/// </summary>
public sealed record KpiSet
{
    public required DateRange Period { get; init; }
    public decimal GrossSales { get; init; }
    public decimal Discounts { get; init; }
    public decimal Returns { get; init; }
    public decimal NetSales { get; init; }
    public decimal Shipping { get; init; }
    public decimal Taxes { get; init; }
    public decimal TotalSales { get; init; }
    public int Orders { get; init; }
    public int NewCustomers { get; init; }
    public decimal? Aov { get; init; }
    public decimal AdSpend { get; init; }
    public decimal MarketingSpend { get; init; }
    public decimal? Mer { get; init; }
    public decimal? Roas { get; init; }
    public decimal? NcRoas { get; init; }
    public decimal? Cac { get; init; }
    public decimal Cogs { get; init; }
    /// <summary>Share of the period's line sales whose lines have a known unit cost (see <see cref="LineSalesWithCost"/>).</summary>
    public decimal? CogsCoverage { get; init; }
    public decimal GrossProfit { get; init; }
    public decimal ContributionMargin { get; init; }
    public decimal ProfitAfterAds { get; init; }
    public decimal? BreakEvenRoas { get; init; }
    public decimal? Poas { get; init; }
    public decimal? Ltv { get; init; }
    public required string LtvBasis { get; init; }
    public decimal? LtvToCac { get; init; }
    public int? PaybackDays { get; init; }

    // Components shown beside the metrics they feed (not API keys of their own).
    public decimal OtherMarketingSpend { get; init; }
    public decimal PaymentFees { get; init; }
    public decimal ShippingCosts { get; init; }
    public decimal PlatformPurchaseValue { get; init; }
    public decimal NewCustomerNetSales { get; init; }
    /// <summary>Line items sold, and those with a known unit cost.</summary>
    public int LineItems { get; init; }
    public int LineItemsWithCost { get; init; }
    /// <summary>Line sales (price × quantity − line discount), and those of lines with a known cost: the two sides of <see cref="CogsCoverage"/>.</summary>
    public decimal LineSales { get; init; }
    public decimal LineSalesWithCost { get; init; }

    /// <summary>Below this <see cref="CogsCoverage"/> COGS misses too much for the margins to be trusted: the overview warns, a recommendation says so.</summary>
    public const decimal LowCogsCoverage = 0.8m;

    /// <summary>Whether the period has sales and too few of them have a known cost.</summary>
    public bool HasLowCogsCoverage => CogsCoverage is { } coverage && coverage < LowCogsCoverage;

    /// <summary>
    /// Contribution margin per unit of total sales: turns platform-attributed purchase value (order totals, like total
    /// sales) into estimated profit, assuming the attributed orders carry the store's average margin. Null without sales.
    /// </summary>
    public decimal? MarginPerSale => KpiCalculator.Ratio(ContributionMargin, TotalSales);
}

/// <summary>One day of the daily series: the same metrics as a period, for a single day.</summary>
public sealed record DailyPoint(DateOnly Date, KpiSet Kpis);
