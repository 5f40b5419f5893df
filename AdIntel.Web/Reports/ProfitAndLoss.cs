using AdIntel.Web.Metrics;

namespace AdIntel.Web.Reports;

/// <summary>One line of the P&amp;L: its API key, label, formula (shown on hover) and where its value comes from.</summary>
public sealed record ProfitAndLossLine(string Key, string Label, string Formula, bool IsSubtotal, Func<KpiSet, decimal> Value);

/// <summary>One month or week of the P&amp;L.</summary>
public sealed record ProfitAndLossRow(DateRange Period, string Label, KpiSet Kpis);

/// <summary>
/// The P&amp;L by month or week. Every figure is the metrics module's (<see cref="MetricsService"/> over the same daily
/// facts), so the totals equal the overview's for the same range.
/// </summary>
public sealed record ProfitAndLossReport(DateRange Range, Granularity Granularity, IReadOnlyList<ProfitAndLossRow> Rows, KpiSet Total, bool HasData)
{
    public static IReadOnlyList<ProfitAndLossLine> Lines { get; } =
    [
        new("grossSales", "Gross sales", "Σ line price × quantity of the period's orders (test and cancelled orders excluded)", false, k => k.GrossSales),
        new("discounts", "Discounts", "Order- and line-level discounts of those orders", false, k => k.Discounts),
        new("returns", "Returns", "Refunded merchandise, booked on the refund's date", false, k => k.Returns),
        new("netSales", "Net sales", "Gross sales − discounts − returns", true, k => k.NetSales),
        new("shipping", "Shipping", "Shipping charged to customers", false, k => k.Shipping),
        new("taxes", "Taxes", "Taxes charged to customers (collected for the authorities, not in profit)", false, k => k.Taxes),
        new("cogs", "COGS", "Σ unit cost × quantity (variant cost when ordered)", false, k => k.Cogs),
        new("grossProfit", "Gross profit", "Net sales − COGS", true, k => k.GrossProfit),
        new("paymentFees", "Payment fees", "Order totals × fee % + orders × fixed fee (settings)", false, k => k.PaymentFees),
        new("shippingCosts", "Shipping costs", "Orders × shipping cost per order (settings)", false, k => k.ShippingCosts),
        new("contributionMargin", "Contribution margin", "Gross profit + shipping − shipping costs − payment fees", true, k => k.ContributionMargin),
        new("adSpend", "Ad spend", "Σ ad platform spend", false, k => k.AdSpend),
        new("otherMarketing", "Other marketing", "Other marketing costs per month (settings), spread over its days", false, k => k.OtherMarketingSpend),
        new("profitAfterAds", "Profit after ads", "Contribution margin − ad spend − other marketing", true, k => k.ProfitAfterAds),
    ];

    public static async Task<ProfitAndLossReport> BuildAsync(MetricsService metrics, DateRange range, Granularity granularity, CancellationToken cancellationToken)
    {
        var periods = ReportPeriods.Split(range, granularity);
        var (byPeriod, total) = await metrics.GetKpisByPeriodAsync(range, periods, cancellationToken);
        var rows = periods.Select((period, i) => new ProfitAndLossRow(period, ReportPeriods.Label(period, granularity), byPeriod[i])).ToList();
        return new ProfitAndLossReport(range, granularity, rows, total, await metrics.HasDataAsync(cancellationToken));
    }
}
