using AdIntel.Web.Alerts.Notifications;

namespace AdIntel.Web.Tests.Alerts;

public sealed class QuietHoursTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData("2026-01-10T21:30:00Z", "2026-01-11T06:00:00Z")] // 22:30 local → 07:00 next morning (UTC+1)
    [InlineData("2026-01-11T05:59:00Z", "2026-01-11T06:00:00Z")] // 06:59 local, past midnight
    [InlineData("2026-01-11T06:00:00Z", null)]                   // 07:00 local: over
    [InlineData("2026-01-10T20:59:00Z", null)]                   // 21:59 local: not yet
    [InlineData("2026-07-10T20:30:00Z", "2026-07-11T05:00:00Z")] // summer time (UTC+2)
    public void Overnight_quiet_hours_end_the_next_local_morning(string now, string? end)
    {
        var ends = QuietHours.EndsAtUtc(DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal), Berlin, new(22, 0), new(7, 0));
        Assert.Equal(end is null ? null : DateTime.Parse(end, null, System.Globalization.DateTimeStyles.AdjustToUniversal), ends);
    }

    [Fact]
    public void Daytime_quiet_hours_and_an_end_in_the_skipped_hour()
    {
        Assert.Equal(new DateTime(2026, 1, 10, 13, 0, 0, DateTimeKind.Utc),
            QuietHours.EndsAtUtc(new DateTime(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc), Berlin, new(12, 0), new(14, 0)));
        Assert.Null(QuietHours.EndsAtUtc(new DateTime(2026, 1, 10, 14, 0, 0, DateTimeKind.Utc), Berlin, new(12, 0), new(14, 0)));
        // Clocks go from 02:00 to 03:00 on 29 March 2026: an end at 02:30 becomes 03:00 local (01:00 UTC).
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc),
            QuietHours.EndsAtUtc(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), Berlin, new(23, 0), new(2, 30)));
    }
}
