using System.Text;
using AdIntel.Web.Imports;

namespace AdIntel.Web.Tests.Imports;

public sealed class CsvValuesTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("2024-03-05 14:22:10 -0500", "2024-03-05T19:22:10")]
    [InlineData("2024-03-05 14:22:10 +0530", "2024-03-05T08:52:10")]
    [InlineData("2024-07-01 00:30:00 -0400", "2024-07-01T04:30:00")]
    [InlineData("2024-03-05T14:22:10-05:00", "2024-03-05T19:22:10")]
    [InlineData("2024-03-05T19:22:10Z", "2024-03-05T19:22:10")]
    [InlineData("2024-03-05T19:22:10.250Z", "2024-03-05T19:22:10.25")]
    // Without an offset the time is the store's: New York is at UTC−5 in early March.
    [InlineData("2024-03-05 14:22:10", "2024-03-05T19:22:10")]
    public void TryParseInstant_shopify_and_iso_formats_give_utc(string text, string expectedUtc)
    {
        Assert.True(CsvValues.TryParseInstant(text, NewYork, "Created at", out var utc, out var error), error);
        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Theory]
    [InlineData("03/05/2024 14:22")]
    [InlineData("2024-13-05 14:22:10 -0500")]
    [InlineData("yesterday")]
    public void TryParseInstant_other_text_is_refused_with_the_expected_format(string text)
    {
        Assert.False(CsvValues.TryParseInstant(text, NewYork, "Created at", out _, out var error));
        Assert.Contains("Created at", error);
        Assert.Contains("2024-03-05 14:22:10 -0500", error);
    }

    [Theory]
    [InlineData("1234.56", 1234.56)]
    [InlineData("-5", -5)]
    [InlineData("144.", 144)]
    [InlineData("$1,234.50", 1234.50)]
    [InlineData("1,234,567.5", 1234567.5)]
    [InlineData("€12.00", 12)]
    [InlineData(" 7.25 ", 7.25)]
    [InlineData("", 0)]
    [InlineData("0.123456", 0.1235)]
    public void TryParseAmount_accepts_invariant_numbers_with_symbols_and_grouping(string text, decimal expected)
    {
        Assert.True(CsvValues.TryParseAmount(Encoding.UTF8.GetBytes(text), "Total", out var value, out var error), error);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryParseAmount_decimal_comma_is_refused_with_how_to_fix_it()
    {
        Assert.False(CsvValues.TryParseAmount("12,50"u8, "Total", out _, out var error));
        Assert.Contains("decimal comma", error);
        Assert.Contains("12.50", error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1,2,3")]
    [InlineData("12.5.3")]
    public void TryParseAmount_garbage_is_refused_naming_column_and_value(string text)
    {
        Assert.False(CsvValues.TryParseAmount(Encoding.UTF8.GetBytes(text), "Lineitem price", out _, out var error));
        Assert.Contains("Lineitem price", error);
        Assert.Contains(text, error);
    }

    [Theory]
    [InlineData("3", 3L, true)]
    [InlineData("1,234", 1234L, true)]
    [InlineData("1.5", 0L, false)]
    [InlineData("two", 0L, false)]
    public void TryParseWholeNumber_accepts_only_whole_numbers(string text, long expected, bool ok)
    {
        Assert.Equal(ok, CsvValues.TryParseWholeNumber(Encoding.UTF8.GetBytes(text), "Lineitem quantity", out var value, out var error));
        if (ok)
        {
            Assert.Equal(expected, value);
        }
        else
        {
            Assert.Contains("not a whole number", error);
        }
    }

    [Theory]
    [InlineData("2024-03-05", true)]
    [InlineData("03/05/2024", false)]
    [InlineData("2024-02-30", false)]
    public void TryParseDay_accepts_iso_days_only(string text, bool ok)
    {
        Assert.Equal(ok, CsvValues.TryParseDay(text, "Day", out var day, out var error));
        if (ok)
        {
            Assert.Equal(new DateOnly(2024, 3, 5), day);
        }
        else
        {
            Assert.Contains("2024-03-05", error);
        }
    }
}
