using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Overview;

namespace AdIntel.Web.Tests.Pages.Overview;

public sealed class KpiDeltaTests
{
    [Theory]
    [InlineData("totalSales", 120, 100, "delta up good", "20.0%")]
    [InlineData("totalSales", 80, 100, "delta down bad", "20.0%")]
    [InlineData("cac", 120, 100, "delta up bad", "20.0%")]
    [InlineData("cac", 50, 100, "delta down good", "50.0%")]
    [InlineData("adSpend", 150, 100, "delta up", "50.0%")]
    [InlineData("profitAfterAds", -50, -100, "delta up good", "50.0%")]
    [InlineData("orders", 100, 100, "delta", "0.0%")]
    public void Compare_colours_the_change_by_whether_higher_is_better(string key, int current, int previous, string css, string text)
    {
        var delta = KpiDelta.Compare(MetricDefinitions.Get(key), current, previous);

        Assert.NotNull(delta);
        Assert.Equal(css, delta.CssClass);
        Assert.Equal(text, delta.Text);
    }

    [Fact]
    public void Compare_without_a_previous_value_has_no_delta()
    {
        Assert.Null(KpiDelta.Compare(MetricDefinitions.Get("orders"), 10m, 0m));
        Assert.Null(KpiDelta.Compare(MetricDefinitions.Get("mer"), 2m, null));
        Assert.Null(KpiDelta.Compare(MetricDefinitions.Get("mer"), null, 2m));
    }

    [Fact]
    public void Compare_describes_the_change_in_words_for_screen_readers()
    {
        var delta = KpiDelta.Compare(MetricDefinitions.Get("cac"), 110m, 100m);

        Assert.Equal("Up 10.0% from the previous period (bad)", delta!.Description);
    }
}
