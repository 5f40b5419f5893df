using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;

namespace AdIntel.Web.Tests.Reports;

public sealed class ReportPeriodsTests
{
    [Fact]
    public void Split_by_month_clips_the_first_and_last_month_to_the_range()
    {
        var periods = ReportPeriods.Split(new DateRange(new DateOnly(2024, 1, 15), new DateOnly(2024, 3, 10)), Granularity.Month);

        Assert.Equal(
            [new DateRange(new(2024, 1, 15), new(2024, 1, 31)), new DateRange(new(2024, 2, 1), new(2024, 2, 29)), new DateRange(new(2024, 3, 1), new(2024, 3, 10))],
            periods);
        Assert.Equal("Feb 2024", ReportPeriods.Label(periods[1], Granularity.Month));
        Assert.Equal("Jan 15–31, 2024", ReportPeriods.Label(periods[0], Granularity.Month));
    }

    [Fact]
    public void Split_by_week_runs_monday_to_sunday_and_covers_every_day_once()
    {
        var range = new DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31));

        var periods = ReportPeriods.Split(range, Granularity.Week);

        Assert.Equal(new DateRange(new(2025, 1, 1), new(2025, 1, 5)), periods[0]);
        Assert.All(periods.Skip(1).SkipLast(1), p => Assert.Equal((DayOfWeek.Monday, 7), (p.From.DayOfWeek, p.Days)));
        Assert.Equal(range.Days, periods.Sum(p => p.Days));
        Assert.Equal("Week of Jan 6, 2025", ReportPeriods.Label(periods[1], Granularity.Week));
    }

    [Theory]
    [InlineData("summary", null, null, "12m", "2025-02-01", "2026-01-31")]
    [InlineData("creative", null, null, null, "2026-01-16", "2026-02-14")]
    [InlineData("summary", "2025-03-01", "2025-03-31", null, "2025-03-01", "2025-03-31")]
    [InlineData("cohorts", null, null, "lm", "2026-01-01", "2026-01-31")]
    public void TryParse_reads_presets_and_dates(string report, string? from, string? to, string? preset, string expectedFrom, string expectedTo)
    {
        Assert.True(ReportRequest.TryParse(report, from, to, preset, null, null, null, new DateOnly(2026, 2, 15), out var query, out var error), error?.Message);
        Assert.Equal(DateOnly.Parse(expectedFrom, System.Globalization.CultureInfo.InvariantCulture), query.Range.From);
        Assert.Equal(DateOnly.Parse(expectedTo, System.Globalization.CultureInfo.InvariantCulture), query.Range.To);
    }

    [Theory]
    [InlineData("profit", null, null, null, null, "unknown_report")]
    [InlineData("summary", "2025-13-01", "2025-12-31", null, null, "invalid_date_range")]
    [InlineData("summary", "2025-03-01", "2025-02-01", null, null, "invalid_date_range")]
    [InlineData("summary", null, null, "12m", "day", "invalid_granularity")]
    [InlineData("summary", "2025-03-01", "2025-03-31", "12m", null, "invalid_date_range")]
    [InlineData("summary", null, null, "forever", null, "invalid_date_range")]
    public void TryParse_refuses_bad_input_with_a_code_and_a_sentence(string report, string? from, string? to, string? preset, string? granularity, string code)
    {
        Assert.False(ReportRequest.TryParse(report, from, to, preset, granularity, null, null, new DateOnly(2026, 2, 15), out _, out var error));
        Assert.Equal(code, error!.Code);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }
}
