using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Overview;

namespace AdIntel.Web.Tests.Pages.Overview;

public sealed class OverviewChartTests
{
    private static DailyPoint Day(int day, decimal totalSales, decimal adSpend, decimal? mer) =>
        new(new DateOnly(2025, 3, day), new KpiSet
        {
            Period = new DateRange(new DateOnly(2025, 3, day), new DateOnly(2025, 3, day)),
            TotalSales = totalSales,
            AdSpend = adSpend,
            Mer = mer,
            LtvBasis = LtvBasis.InsufficientHistory,
        });

    [Fact]
    public void Build_breaks_the_mer_line_on_days_without_spend()
    {
        var chart = OverviewChart.Build([Day(1, 100, 50, 2m), Day(2, 120, 60, 2m), Day(3, 90, 0, null), Day(4, 80, 40, 2m)], new MetricFormatter("USD"));

        Assert.Equal(2, chart.MerLine.Count(c => c == 'M'));
        Assert.Equal(1, chart.SalesLine.Count(c => c == 'M'));
        Assert.Equal(4, chart.Columns.Count);
        Assert.Contains("total sales $90.00, ad spend $0.00, MER —", chart.Columns[2].Title);
    }

    [Fact]
    public void Build_puts_the_highest_value_within_the_plot_and_labels_the_axis_in_round_numbers()
    {
        var chart = OverviewChart.Build([Day(1, 1730, 400, 3m), Day(2, 900, 300, 2m)], new MetricFormatter("USD"));

        Assert.Equal(["$0", "$500", "$1k", "$1.5k", "$2k"], chart.MoneyTicks.Select(t => t.Label));
        Assert.Equal(OverviewChart.PlotTop, chart.MoneyTicks[^1].Position);
        Assert.Equal(["Mar 1", "Mar 2"], chart.DateTicks.Select(t => t.Label));
    }

    [Fact]
    public void Build_labels_every_day_of_a_week_and_six_days_of_a_month()
    {
        var week = Enumerable.Range(1, 7).Select(d => Day(d, 100, 10, 10m)).ToList();
        var month = Enumerable.Range(1, 31).Select(d => Day(d, 100, 10, 10m)).ToList();
        var format = new MetricFormatter("USD");

        Assert.Equal(7, OverviewChart.Build(week, format).DateTicks.Count);
        Assert.Equal(["Mar 1", "Mar 7", "Mar 13", "Mar 19", "Mar 25", "Mar 31"], OverviewChart.Build(month, format).DateTicks.Select(t => t.Label));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.7, 1)]
    [InlineData(1730, 2000)]
    [InlineData(2100, 2500)]
    [InlineData(4.2, 5)]
    [InlineData(100, 100)]
    public void NiceCeiling_rounds_up_to_1_2_2point5_or_5_times_a_power_of_ten(double value, double expected)
    {
        Assert.Equal((decimal)expected, OverviewChart.NiceCeiling((decimal)value));
    }
}
