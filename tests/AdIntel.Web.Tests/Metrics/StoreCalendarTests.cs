using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Metrics;

public sealed class StoreCalendarTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-15T03:30:00Z", "2026-03-14")]   // 23:30 the evening before in New York
    [InlineData("America/New_York", "2026-03-15T05:00:00Z", "2026-03-15")]
    [InlineData("Australia/Sydney", "2026-03-14T14:00:00Z", "2026-03-15")]   // already tomorrow in Sydney
    [InlineData("UTC", "2026-03-15T23:59:59Z", "2026-03-15")]
    public void Today_is_the_date_in_the_store_time_zone(string timeZone, string utcNow, string expected)
    {
        var calendar = new StoreCalendar(StoreClock.ResolveTimeZone(timeZone), "USD");

        Assert.Equal(DateOnly.Parse(expected), calendar.Today(new FixedTime(DateTimeOffset.Parse(utcNow))));
    }

    [Fact]
    public void ResolveTimeZone_falls_back_to_utc_for_an_unknown_zone()
    {
        Assert.Equal(TimeZoneInfo.Utc, StoreClock.ResolveTimeZone("Mars/Olympus_Mons"));
    }
}
