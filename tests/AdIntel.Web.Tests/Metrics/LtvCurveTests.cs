using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class LtvCurveTests
{
    private static readonly CustomerProfit[] Orders =
    [
        new(1, new DateOnly(2024, 1, 1), 50m),   // customer 1's first order
        new(1, new DateOnly(2024, 1, 11), 30m),  // day 10
        new(1, new DateOnly(2025, 1, 5), 999m),  // day 370: outside the first year
        new(2, new DateOnly(2024, 2, 1), 70m),
        new(3, new DateOnly(2024, 6, 1), 500m),  // first order less than 365 days before as-of: not a full year yet
    ];

    private static readonly CustomerProfit[] Refunds = [new(1, new DateOnly(2024, 1, 21), 20m)]; // day 20

    private static readonly DateOnly AsOf = new(2025, 3, 1);

    [Fact]
    public void Observe_averages_cumulative_profit_of_customers_with_a_full_year()
    {
        var curve = LtvCurve.Observe(Orders, Refunds, AsOf);

        Assert.Equal(LtvBasis.Observed, curve.Basis);
        Assert.Equal(2, curve.Customers);
        Assert.Equal(LtvCurve.HorizonDays, curve.CumulativeGrossProfit.Count);
        Assert.Equal(60m, curve.CumulativeGrossProfit[0]);   // (50 + 70) / 2
        Assert.Equal(60m, curve.CumulativeGrossProfit[9]);
        Assert.Equal(75m, curve.CumulativeGrossProfit[10]);  // (50 + 30 + 70) / 2
        Assert.Equal(65m, curve.CumulativeGrossProfit[20]);  // refund of 20 on day 20
        Assert.Equal(65m, curve.Ltv);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(60, 0)]
    [InlineData(61, 10)]
    [InlineData(75, 10)]
    public void PaybackDays_is_the_first_day_the_mean_customer_covers_cac(int cac, int expectedDay)
    {
        var curve = LtvCurve.Observe(Orders, Refunds, AsOf);

        Assert.Equal(expectedDay, curve.PaybackDays(cac));
    }

    [Fact]
    public void PaybackDays_is_null_when_not_reached_within_a_year_or_without_cac()
    {
        var curve = LtvCurve.Observe(Orders, Refunds, AsOf);

        Assert.Null(curve.PaybackDays(76m));
        Assert.Null(curve.PaybackDays(null));
    }

    [Fact]
    public void Observe_without_a_customer_a_year_old_is_insufficient_history()
    {
        var curve = LtvCurve.Observe(Orders, Refunds, new DateOnly(2024, 12, 30));

        Assert.Equal(LtvBasis.InsufficientHistory, curve.Basis);
        Assert.Null(curve.Ltv);
        Assert.Null(curve.PaybackDays(1m));
    }

    [Fact]
    public void Observe_counts_a_customer_whose_first_order_is_exactly_365_days_old()
    {
        var curve = LtvCurve.Observe([new CustomerProfit(7, new DateOnly(2024, 3, 1), 40m)], [], new DateOnly(2025, 3, 1));

        Assert.Equal(1, curve.Customers);
        Assert.Equal(40m, curve.Ltv);
    }
}
