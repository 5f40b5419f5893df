using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class KpiCalculatorTests
{
    private static readonly DateRange March = new(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31));

    private static readonly FactTotals Period = new()
    {
        Orders = 4,
        GrossSales = 1000m,
        Discounts = 100m,
        Returns = 50m,
        Shipping = 40m,
        Taxes = 80m,
        OrderTotals = 1020m,
        Cogs = 300m,
        LineItems = 10,
        LineItemsWithCost = 8,
        LineSales = 1000,
        LineSalesWithCost = 800,
        NewCustomers = 2,
        NewCustomerNetSales = 400m,
        AdSpend = 200m,
        PlatformPurchaseValue = 700m,
    };

    private static readonly StoreSettings Settings = new() { PaymentFeePercent = 2.9m, PaymentFeeFixed = 0.30m, ShippingCostPerOrder = 6m };

    /// <summary>Mean cumulative gross profit 10 on day 0, rising by 5 a day from day 1 to 200 by day 38, then flat.</summary>
    private static readonly LtvCurve Curve = new(LtvBasis.Observed, 12,
        Enumerable.Range(0, LtvCurve.HorizonDays).Select(d => Math.Min(200m, 10m + 5m * d)).ToArray());

    [Fact]
    public void Compute_sales_metrics_follow_the_contract()
    {
        var kpis = KpiCalculator.Compute(March, Period, Settings, 100m, Curve);

        Assert.Equal(1000m, kpis.GrossSales);
        Assert.Equal(100m, kpis.Discounts);
        Assert.Equal(50m, kpis.Returns);
        Assert.Equal(850m, kpis.NetSales);                 // 1000 − 100 − 50
        Assert.Equal(970m, kpis.TotalSales);               // 850 + 40 + 80
        Assert.Equal(4, kpis.Orders);
        Assert.Equal(225m, kpis.Aov);                      // (1000 − 100) / 4
        Assert.Equal(2, kpis.NewCustomers);
    }

    [Fact]
    public void Compute_spend_metrics_add_other_marketing_to_ad_spend()
    {
        var kpis = KpiCalculator.Compute(March, Period, Settings, 100m, Curve);

        Assert.Equal(200m, kpis.AdSpend);
        Assert.Equal(300m, kpis.MarketingSpend);           // 200 + 100
        Assert.Equal(970m / 300m, kpis.Mer);
        Assert.Equal(3.5m, kpis.Roas);                     // 700 / 200
        Assert.Equal(2m, kpis.NcRoas);                     // 400 / 200
        Assert.Equal(150m, kpis.Cac);                      // 300 / 2
    }

    [Fact]
    public void Compute_profit_metrics_subtract_cogs_shipping_costs_and_fees()
    {
        var kpis = KpiCalculator.Compute(March, Period, Settings, 100m, Curve);

        Assert.Equal(300m, kpis.Cogs);
        Assert.Equal(0.8m, kpis.CogsCoverage);             // 800 of 1,000 line sales
        Assert.Equal(550m, kpis.GrossProfit);              // 850 − 300
        Assert.Equal(30.78m, kpis.PaymentFees);            // 1020 × 2.9% + 4 × 0.30
        Assert.Equal(24m, kpis.ShippingCosts);             // 4 × 6
        Assert.Equal(535.22m, kpis.ContributionMargin);    // 550 + 40 − 24 − 30.78
        Assert.Equal(235.22m, kpis.ProfitAfterAds);        // 535.22 − 300
        Assert.Equal(850m / 535.22m, kpis.BreakEvenRoas);
        Assert.Equal(535.22m / 200m, kpis.Poas);
    }

    [Fact]
    public void Compute_ltv_metrics_come_from_the_curve_and_the_period_cac()
    {
        var kpis = KpiCalculator.Compute(March, Period, Settings, 100m, Curve);

        Assert.Equal(200m, kpis.Ltv);
        Assert.Equal(LtvBasis.Observed, kpis.LtvBasis);
        Assert.Equal(200m / 150m, kpis.LtvToCac);
        Assert.Equal(28, kpis.PaybackDays);                // 10 + 5 × 28 = 150 = CAC
    }

    [Fact]
    public void Compute_with_zero_denominators_gives_null_ratios_never_zero()
    {
        var kpis = KpiCalculator.Compute(March, new FactTotals(), Settings, 0m, LtvCurve.InsufficientHistory);

        Assert.Null(kpis.Aov);
        Assert.Null(kpis.Mer);
        Assert.Null(kpis.Roas);
        Assert.Null(kpis.NcRoas);
        Assert.Null(kpis.Cac);
        Assert.Null(kpis.CogsCoverage);
        Assert.Null(kpis.BreakEvenRoas);
        Assert.Null(kpis.Poas);
        Assert.Null(kpis.Ltv);
        Assert.Null(kpis.LtvToCac);
        Assert.Null(kpis.PaybackDays);
        Assert.Equal(LtvBasis.InsufficientHistory, kpis.LtvBasis);
        Assert.Equal(0m, kpis.ContributionMargin);
    }

    [Fact]
    public void Compute_without_new_customers_has_no_cac_and_no_payback_even_with_a_curve()
    {
        var kpis = KpiCalculator.Compute(March, Period with { NewCustomers = 0 }, Settings, 0m, Curve);

        Assert.Null(kpis.Cac);
        Assert.Null(kpis.LtvToCac);
        Assert.Null(kpis.PaybackDays);
        Assert.Equal(200m, kpis.Ltv);
    }

    [Fact]
    public void Compute_with_spend_but_no_sales_has_a_zero_mer_and_negative_profit()
    {
        var kpis = KpiCalculator.Compute(March, new FactTotals { AdSpend = 80m }, Settings, 0m, LtvCurve.InsufficientHistory);

        Assert.Equal(0m, kpis.Mer);
        Assert.Equal(0m, kpis.Roas);
        Assert.Equal(-80m, kpis.ProfitAfterAds);
        Assert.Null(kpis.BreakEvenRoas);
    }

    [Fact]
    public void OtherMarketingSpend_spreads_each_month_over_its_own_days()
    {
        // 3100 a month: 100 a day in March (31 days), 103.33 a day in April (30 days).
        var range = new DateRange(new DateOnly(2025, 3, 30), new DateOnly(2025, 4, 1));

        var spend = KpiCalculator.OtherMarketingSpend(range, 3100m, today: new DateOnly(2025, 6, 1));

        Assert.Equal(303.33m, Math.Round(spend, 2));
    }

    [Fact]
    public void OtherMarketingSpend_counts_no_cost_for_days_after_today()
    {
        var range = new DateRange(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31));

        var spend = KpiCalculator.OtherMarketingSpend(range, 3100m, today: new DateOnly(2025, 3, 10));

        Assert.Equal(1000m, spend);
    }

    [Fact]
    public void OtherMarketingSpend_over_a_whole_month_is_the_monthly_amount()
    {
        var february = new DateRange(new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29));

        var spend = KpiCalculator.OtherMarketingSpend(february, 1000m, today: new DateOnly(2025, 1, 1));

        Assert.Equal(1000m, Math.Round(spend, 2));
    }
}
