using System.Globalization;

namespace AdIntel.Web.Tests;

/// <summary>
/// <c>ADINTEL_TEST_TODAY=yyyy-MM-dd</c> runs every app host of the suite as if today were that day (in UTC): the app's
/// <see cref="TimeProvider"/> is shifted by whole days and keeps moving, so timers and expiries still work. The demo
/// store, its tracking outage and every "last N days" follow that calendar. Tests that talk to the Shopify and Meta
/// fakes check real timestamps and are not meant to run pinned (see scripts/test-on-date.sh for the demo-store tests).
/// </summary>
public static class PinnedDate
{
    public const string Variable = "ADINTEL_TEST_TODAY";

    /// <summary>The pinned day, or null when the suite runs on the real calendar.</summary>
    public static DateOnly? Day { get; } = Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The clock app hosts use: shifted to <see cref="Day"/>, or null for the system clock.</summary>
    public static TimeProvider? Clock { get; } = Day is { } day ? new ShiftedTimeProvider(day) : null;

    /// <summary>Now as the app hosts see it.</summary>
    public static DateTime UtcNow => (Clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    private static DateOnly? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidOperationException($"{Variable}='{value}' is not a date in the form yyyy-MM-dd.");
    }

    private sealed class ShiftedTimeProvider(DateOnly today) : TimeProvider
    {
        private readonly TimeSpan _shift = TimeSpan.FromDays(today.DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _shift;
    }
}
