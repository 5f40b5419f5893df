namespace AdIntel.Web.Metrics;

public enum MetricFormat
{
    /// <summary>Store currency, rounded to cents.</summary>
    Money,
    /// <summary>A multiple such as MER or ROAS, 4 decimals.</summary>
    Ratio,
    Count,
    Days,
    /// <summary>A share between 0 and 1, 4 decimals (shown as a percentage).</summary>
    Percent,
}

/// <summary>Which way a change is good news for profit; neutral metrics (spend, taxes) are shown without judgement.</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,
    Neutral,
}

/// <summary>One metric as users see it: API key, label, the formula shown on hover, display format and direction.</summary>
public sealed record MetricDefinition(string Key, string Label, string Formula, MetricFormat Format, MetricDirection Direction, Func<KpiSet, decimal?> Value)
{
    public bool HigherIsBetter => Direction == MetricDirection.HigherIsBetter;

    /// <summary>The value as the API writes it: money to cents, ratios to 4 decimals, counts and days as integers.</summary>
    public object? ApiValue(KpiSet kpis) => Round(Format, Value(kpis));

    public static object? Round(MetricFormat format, decimal? value) => value is not { } v ? null : format switch
    {
        MetricFormat.Money => (object)Math.Round(v, 2, MidpointRounding.AwayFromZero),
        MetricFormat.Ratio or MetricFormat.Percent => Math.Round(v, 4, MidpointRounding.AwayFromZero),
        _ => (long)Math.Round(v, 0, MidpointRounding.AwayFromZero),
    };
}

/// <summary>The store metrics in their API order. The UI and the API read from here; docs/metrics.md explains each.</summary>
public static class MetricDefinitions
{
    public const string LtvBasisKey = "ltvBasis";

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new("grossSales", "Gross sales", "Σ line price × quantity of the orders created in the period (test and cancelled orders excluded)",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.GrossSales),
        new("discounts", "Discounts", "Order- and line-level discounts of those orders",
            MetricFormat.Money, MetricDirection.LowerIsBetter, k => k.Discounts),
        new("returns", "Returns", "Refunded merchandise, booked on the day of the refund",
            MetricFormat.Money, MetricDirection.LowerIsBetter, k => k.Returns),
        new("netSales", "Net sales", "Gross sales − discounts − returns",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.NetSales),
        new("shipping", "Shipping", "Shipping charged to customers",
            MetricFormat.Money, MetricDirection.Neutral, k => k.Shipping),
        new("taxes", "Taxes", "Taxes charged to customers",
            MetricFormat.Money, MetricDirection.Neutral, k => k.Taxes),
        new("totalSales", "Total sales", "Net sales + shipping + taxes (Shopify's Total sales)",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.TotalSales),
        new("orders", "Orders", "Orders created in the period, test and cancelled orders excluded",
            MetricFormat.Count, MetricDirection.HigherIsBetter, k => k.Orders),
        new("newCustomers", "New customers", "Customers whose first order ever is in the period",
            MetricFormat.Count, MetricDirection.HigherIsBetter, k => k.NewCustomers),
        new("aov", "Average order value", "(Gross sales − discounts) ÷ orders",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.Aov),
        new("adSpend", "Ad spend", "Spend reported by the ad platforms",
            MetricFormat.Money, MetricDirection.Neutral, k => k.AdSpend),
        new("marketingSpend", "Marketing spend", "Ad spend + other marketing costs from settings (the monthly amount spread evenly over its days)",
            MetricFormat.Money, MetricDirection.Neutral, k => k.MarketingSpend),
        new("mer", "MER", "Total sales ÷ marketing spend",
            MetricFormat.Ratio, MetricDirection.HigherIsBetter, k => k.Mer),
        new("roas", "ROAS", "Platform-attributed purchase value ÷ ad spend (what Meta reports)",
            MetricFormat.Ratio, MetricDirection.HigherIsBetter, k => k.Roas),
        new("ncRoas", "nc-ROAS", "Net sales of new customers' first orders ÷ ad spend",
            MetricFormat.Ratio, MetricDirection.HigherIsBetter, k => k.NcRoas),
        new("cac", "CAC", "Marketing spend ÷ new customers",
            MetricFormat.Money, MetricDirection.LowerIsBetter, k => k.Cac),
        new("cogs", "COGS", "Σ unit cost × quantity of the line items with a known cost (variant cost when ordered)",
            MetricFormat.Money, MetricDirection.Neutral, k => k.Cogs),
        new("cogsCoverage", "COGS coverage", "Share of line sales (price × quantity − line discount) whose items have a known unit cost",
            MetricFormat.Percent, MetricDirection.HigherIsBetter, k => k.CogsCoverage),
        new("grossProfit", "Gross profit", "Net sales − COGS",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.GrossProfit),
        new("contributionMargin", "Contribution margin", "Gross profit + shipping charged − shipping costs − payment fees (costs and fees from settings)",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.ContributionMargin),
        new("profitAfterAds", "Profit after ads", "Contribution margin − marketing spend",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.ProfitAfterAds),
        new("breakEvenRoas", "Break-even ROAS", "Net sales ÷ contribution margin: the ROAS at which ads eat the whole margin",
            MetricFormat.Ratio, MetricDirection.LowerIsBetter, k => k.BreakEvenRoas),
        new("poas", "POAS", "Contribution margin ÷ ad spend",
            MetricFormat.Ratio, MetricDirection.HigherIsBetter, k => k.Poas),
        new("ltv", "LTV", "Mean gross profit (gross − discounts − refunds − COGS) per customer in the 365 days from the first order, over customers whose first order is at least 365 days old",
            MetricFormat.Money, MetricDirection.HigherIsBetter, k => k.Ltv),
        new("ltvToCac", "LTV:CAC", "LTV ÷ CAC",
            MetricFormat.Ratio, MetricDirection.HigherIsBetter, k => k.LtvToCac),
        new("paybackDays", "Payback", "Days from the first order until the mean customer's cumulative gross profit reaches CAC (none if not within 365 days)",
            MetricFormat.Days, MetricDirection.LowerIsBetter, k => k.PaybackDays),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByKey = All.ToDictionary(m => m.Key, StringComparer.Ordinal);

    public static MetricDefinition Get(string key) => ByKey[key];

    public static bool TryGet(string key, out MetricDefinition definition) => ByKey.TryGetValue(key, out definition!);

    /// <summary>
    /// The <c>kpis</c> object of the API: every metric's key in catalogue order, <c>ltvBasis</c> right after <c>ltv</c>.
    /// </summary>
    public static Dictionary<string, object?> ToApiObject(KpiSet kpis)
    {
        var result = new Dictionary<string, object?>(All.Count + 1, StringComparer.Ordinal);
        foreach (var metric in All)
        {
            result[metric.Key] = metric.ApiValue(kpis);
            if (metric.Key == "ltv")
            {
                result[LtvBasisKey] = kpis.LtvBasis;
            }
        }
        return result;
    }
}
