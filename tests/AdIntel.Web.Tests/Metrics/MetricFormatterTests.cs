using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class MetricFormatterTests
{
    [Theory]
    [InlineData("USD", 1234.5, "$1,234.50")]
    [InlineData("usd", -5, "-$5.00")]
    [InlineData("EUR", 980, "€980.00")]
    [InlineData("GBP", 12.345, "£12.35")]
    public void Money_uses_the_store_currency_symbol_and_decimals(string currency, double value, string expected)
    {
        Assert.Equal(expected, new MetricFormatter(currency).Money((decimal)value));
    }

    [Fact]
    public void Money_in_a_currency_without_minor_units_has_no_decimals()
    {
        var money = new MetricFormatter("JPY").Money(1200.4m);

        Assert.EndsWith("1,200", money);
        Assert.DoesNotContain(".", money);
    }

    [Fact]
    public void Format_shows_ratios_as_multiples_shares_as_percentages_and_missing_values_as_a_dash()
    {
        var format = new MetricFormatter("USD");

        Assert.Equal("2.72×", format.Format(MetricFormat.Ratio, 2.7183m));
        Assert.Equal("81.3%", format.Format(MetricFormat.Percent, 0.8125m));
        Assert.Equal("12,345", format.Format(MetricFormat.Count, 12345m));
        Assert.Equal("1 day", format.Format(MetricFormat.Days, 1m));
        Assert.Equal("45 days", format.Format(MetricFormat.Days, 45m));
        Assert.Equal("—", format.Format(MetricFormat.Ratio, null));
    }

    [Theory]
    [InlineData(950, "$950")]
    [InlineData(12500, "$12.5k")]
    [InlineData(1200000, "$1.2M")]
    [InlineData(-2000, "-$2k")]
    public void MoneyCompact_abbreviates_thousands_and_millions(double value, string expected)
    {
        Assert.Equal(expected, new MetricFormatter("USD").MoneyCompact((decimal)value));
    }
    [Fact]
    public void Every_currency_gets_the_symbol_and_decimals_of_an_English_culture_using_it_else_of_any_culture_using_it()
    {
        var cultures = CultureInfo.GetCultures(CultureTypes.SpecificCultures);
        var regions = cultures.Select(c => (Culture: c, Currency: Region(c)?.ISOCurrencySymbol)).Where(r => r.Currency is not null).ToList();

        foreach (var currency in regions.Select(r => r.Currency!).Distinct())
        {
            var users = regions.Where(r => r.Currency == currency).Select(r => r.Culture).ToList();
            var owner = users.FirstOrDefault(c => c.TwoLetterISOLanguageName == "en") ?? users[0];
            var expected = 1234m.ToString("C", Format(owner.NumberFormat));

            Assert.Equal(expected, new MetricFormatter(currency).Money(1234m));
        }
    }

    [Fact]
    public void A_currency_no_culture_uses_is_shown_by_its_code()
    {
        Assert.Equal("XYZ 5.00", new MetricFormatter("XYZ").Money(5m));
    }

    private static RegionInfo? Region(CultureInfo culture)
    {
        try
        {
            return new RegionInfo(culture.Name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static NumberFormatInfo Format(NumberFormatInfo owner)
    {
        var format = (NumberFormatInfo)CultureInfo.GetCultureInfo("en-US").NumberFormat.Clone();
        format.CurrencySymbol = owner.CurrencySymbol;
        format.CurrencyDecimalDigits = owner.CurrencyDecimalDigits;
        return format;
    }
}
