using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// Delivery of one ad, ad set or campaign over a date range, as the ad platform reports it, plus the ratios derived
/// from it. Every ratio is null when its denominator is zero (never 0, Infinity or NaN: docs/metrics.md#rounding-and-empty-denominators).
/// </summary>
public sealed record DeliveryTotals(decimal Spend, long Impressions, long Reach, long LinkClicks, decimal Purchases, decimal PurchaseValue)
{
    public static DeliveryTotals None { get; } = new(0m, 0, 0, 0, 0m, 0m);

    /// <summary>Link clicks per impression, a fraction (0.0123 is 1.23%).</summary>
    public decimal? Ctr => Divide(LinkClicks, Impressions);

    public decimal? Cpc => Divide(Spend, LinkClicks);

    public decimal? Cpm => Impressions == 0 ? null : Spend * 1000m / Impressions;

    /// <summary>
    /// Σ impressions / Σ daily reach. Meta's reach is de-duplicated per report period and daily rows cannot be
    /// de-duplicated again, so over several days a person reached on two days counts twice: for multi-day ranges this
    /// understates the frequency Ads Manager would show for the same range. For a single day it is exact.
    /// </summary>
    public decimal? Frequency => Divide(Impressions, Reach);

    public decimal? Roas => Divide(PurchaseValue, Spend);

    public decimal? Cpa => Divide(Spend, Purchases);

    /// <summary>
    /// The store's contribution margin per unit of total sales over the same range (null without sales): what turns
    /// the attributed purchase value into <see cref="EstimatedProfit"/> and <see cref="Poas"/>.
    /// </summary>
    public decimal? MarginPerSale { get; init; }

    /// <summary>Attributed margin − spend (<see cref="KpiCalculator.EstimatedProfit"/>, as the overview ranks campaigns).</summary>
    public decimal? EstimatedProfit => HasDelivery ? KpiCalculator.EstimatedProfit(PurchaseValue, Spend, MarginPerSale) : null;

    /// <summary>Attributed margin ÷ spend (<see cref="KpiCalculator.EstimatedPoas"/>).</summary>
    public decimal? Poas => KpiCalculator.EstimatedPoas(PurchaseValue, Spend, MarginPerSale);

    public bool HasDelivery => Spend != 0m || Impressions != 0 || PurchaseValue != 0m;

    public static DeliveryTotals operator +(DeliveryTotals left, DeliveryTotals right) => new(
        left.Spend + right.Spend,
        left.Impressions + right.Impressions,
        left.Reach + right.Reach,
        left.LinkClicks + right.LinkClicks,
        left.Purchases + right.Purchases,
        left.PurchaseValue + right.PurchaseValue)
    {
        MarginPerSale = left.MarginPerSale ?? right.MarginPerSale,
    };

    public static DeliveryTotals Sum(IEnumerable<DeliveryTotals> parts) => parts.Aggregate(None, (total, part) => total + part);

    private static decimal? Divide(decimal numerator, decimal denominator) => denominator == 0m ? null : numerator / denominator;
}
