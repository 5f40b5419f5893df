using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class MetricDefinitionsTests
{
    /// <summary>The API's metric keys, in their order.</summary>
    private static readonly string[] ContractKeys =
    [
        "grossSales", "discounts", "returns", "netSales", "shipping", "taxes", "totalSales", "orders", "newCustomers", "aov",
        "adSpend", "marketingSpend", "mer", "roas", "ncRoas", "cac", "cogs", "cogsCoverage", "grossProfit", "contributionMargin",
        "profitAfterAds", "breakEvenRoas", "poas", "ltv", "ltvBasis", "ltvToCac", "paybackDays",
    ];

    private static KpiSet Sample => new()
    {
        Period = new DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 1)),
        GrossSales = 10.005m,
        Orders = 3,
        Mer = 2m / 3m,
        CogsCoverage = 0.123456m,
        PaybackDays = 42,
        LtvBasis = LtvBasis.InsufficientHistory,
    };

    [Fact]
    public void ToApiObject_has_every_contract_key_in_order()
    {
        var api = MetricDefinitions.ToApiObject(Sample);

        Assert.Equal(ContractKeys, api.Keys);
    }

    [Fact]
    public void ToApiObject_rounds_money_to_cents_ratios_to_4_decimals_and_counts_to_integers()
    {
        var api = MetricDefinitions.ToApiObject(Sample);

        Assert.Equal(10.01m, api["grossSales"]);
        Assert.Equal(0.6667m, api["mer"]);
        Assert.Equal(0.1235m, api["cogsCoverage"]);
        Assert.Equal(3L, api["orders"]);
        Assert.Equal(42L, api["paybackDays"]);
        Assert.Null(api["roas"]);
        Assert.Null(api["ltv"]);
        Assert.Equal("insufficient_history", api["ltvBasis"]);
    }

    [Fact]
    public void Every_metric_has_a_label_a_formula_and_a_unique_key()
    {
        Assert.All(MetricDefinitions.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Label));
            Assert.False(string.IsNullOrWhiteSpace(m.Formula));
        });
        Assert.Equal(MetricDefinitions.All.Count, MetricDefinitions.All.Select(m => m.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("profitAfterAds", true)]
    [InlineData("mer", true)]
    [InlineData("cac", false)]
    [InlineData("paybackDays", false)]
    [InlineData("adSpend", false)]
    public void HigherIsBetter_matches_what_helps_profit(string key, bool higherIsBetter)
    {
        Assert.Equal(higherIsBetter, MetricDefinitions.Get(key).HigherIsBetter);
    }
}
