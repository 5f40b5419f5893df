using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class DateRangeTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    [Theory]
    [InlineData("7d", "2026-03-08", "2026-03-14")]
    [InlineData("30d", "2026-02-13", "2026-03-14")]
    [InlineData("90d", "2025-12-15", "2026-03-14")]
    [InlineData("mtd", "2026-03-01", "2026-03-15")]
    [InlineData("MTD", "2026-03-01", "2026-03-15")]
    [InlineData("today", "2026-03-15", "2026-03-15")]
    [InlineData("yesterday", "2026-03-14", "2026-03-14")]
    public void TryParse_preset_gives_complete_days_before_today_or_month_to_date(string preset, string from, string to)
    {
        Assert.True(DateRangeQuery.TryParse(null, null, preset, Today, out var selection, out var error));

        Assert.Null(error);
        Assert.Equal(new DateRange(DateOnly.Parse(from), DateOnly.Parse(to)), selection.Range);
        Assert.Equal(preset.ToLowerInvariant(), selection.Preset);
    }

    [Fact]
    public void TryParse_without_parameters_defaults_to_the_last_30_days()
    {
        Assert.True(DateRangeQuery.TryParse(null, "", null, Today, out var selection, out _));

        Assert.Equal("30d", selection.Preset);
        Assert.Equal(30, selection.Range.Days);
        Assert.Equal(Today.AddDays(-1), selection.Range.To);
    }

    [Fact]
    public void TryParse_from_and_to_gives_an_inclusive_custom_range()
    {
        Assert.True(DateRangeQuery.TryParse("2025-02-27", "2025-03-02", null, Today, out var selection, out _));

        Assert.Equal(DatePreset.Custom, selection.Preset);
        Assert.Equal(4, selection.Range.Days);
    }

    [Theory]
    [InlineData("2025-13-01", "2025-12-31", null, "from")]
    [InlineData("01/02/2025", "2025-12-31", null, "from")]
    [InlineData("2025-01-01", "tomorrow", null, "to")]
    [InlineData("2025-03-02", "2025-03-01", null, "from")]
    [InlineData("2025-01-01", null, null, "to")]
    [InlineData(null, "2025-01-01", null, "from")]
    [InlineData("2021-01-01", "2024-01-02", null, "to")]
    [InlineData(null, null, "last-week", "preset")]
    [InlineData("2025-01-01", "2025-01-02", "7d", "preset")]
    [InlineData(null, null, "custom", "from")]
    public void TryParse_refuses_bad_input_and_names_the_parameter(string? from, string? to, string? preset, string parameter)
    {
        Assert.False(DateRangeQuery.TryParse(from, to, preset, Today, out _, out var error));

        Assert.NotNull(error);
        Assert.Equal(parameter, error.Parameter);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void TryParse_accepts_exactly_three_years()
    {
        Assert.True(DateRangeQuery.TryParse("2021-01-01", "2024-01-01", null, Today, out var selection, out _));

        Assert.Equal(DateRange.MaxDays, selection.Range.Days);
    }

    [Fact]
    public void GetPreviousPeriod_is_the_same_length_right_before()
    {
        var range = new DateRange(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 10));

        Assert.Equal(new DateRange(new DateOnly(2025, 2, 19), new DateOnly(2025, 2, 28)), range.GetPreviousPeriod());
    }
}
