namespace AdIntel.Web.Rules.Expressions;

/// <summary>A delivery metric rules read (docs/metrics.md#rule-variables-and-windows); every metric exists once per <see cref="RuleWindow"/>.</summary>
/// <param name="Name">The variable prefix, e.g. <c>roas</c> in <c>roas_7d</c>.</param>
/// <param name="Definition">The formula, as the editor shows it.</param>
public sealed record RuleMetric(string Name, string Label, RuleUnit Unit, string Definition)
{
    public static readonly RuleMetric Spend = new("spend", "Spend", RuleUnit.Money, "Amount spent, as the ad platform reports it.");
    public static readonly RuleMetric Impressions = new("impressions", "Impressions", RuleUnit.Count, "Times the ads were shown.");
    public static readonly RuleMetric Reach = new("reach", "Reach", RuleUnit.Count,
        "People reached: the sum of daily reach (the platform's deduplicated reach across several days is not in daily data, so this overstates unique people for windows longer than a day).");
    public static readonly RuleMetric Clicks = new("clicks", "Link clicks", RuleUnit.Count, "Link clicks.");
    public static readonly RuleMetric Purchases = new("purchases", "Purchases", RuleUnit.Count, "Purchases the platform attributes to the ads.");
    public static readonly RuleMetric PurchaseValue = new("purchase_value", "Purchase value", RuleUnit.Money, "Conversion value of the purchases the platform attributes to the ads.");
    public static readonly RuleMetric Roas = new("roas", "ROAS", RuleUnit.Ratio, "purchase_value / spend; null when spend is 0.");
    public static readonly RuleMetric Cpa = new("cpa", "Cost per purchase", RuleUnit.Money, "spend / purchases; null when there are no purchases.");
    public static readonly RuleMetric Ctr = new("ctr", "CTR", RuleUnit.Fraction, "clicks / impressions, a fraction (0.012 is 1.2%); null without impressions.");
    public static readonly RuleMetric Cpm = new("cpm", "CPM", RuleUnit.Money, "spend / impressions × 1000; null without impressions.");
    public static readonly RuleMetric Cpc = new("cpc", "Cost per click", RuleUnit.Money, "spend / clicks; null without clicks.");
    public static readonly RuleMetric Frequency = new("frequency", "Frequency", RuleUnit.Ratio, "impressions / reach (with reach as defined above); null without reach.");
    public static readonly RuleMetric Poas = new("poas", "POAS", RuleUnit.Ratio,
        "Profit on ad spend, estimated: purchase_value × (store contribution margin / store total sales, same window, from Shopify) / spend. Shopify orders cannot be tied to single ads, so the store's margin rate stands in for the ad's; null when spend or the store's sales are 0.");
    public static readonly RuleMetric NcRoas = new("nc_roas", "New-customer ROAS", RuleUnit.Ratio,
        "ROAS from new customers, estimated: purchase_value × (store net sales of new customers' first orders / store total sales, same window, from Shopify) / spend; null when spend or the store's sales are 0.");

    public static IReadOnlyList<RuleMetric> All { get; } =
        [Spend, Impressions, Reach, Clicks, Purchases, PurchaseValue, Roas, Cpa, Ctr, Cpm, Cpc, Frequency, Poas, NcRoas];
}
