namespace AdIntel.Web.Demo;

/// <summary>
/// Store-local to UTC conversion for the generator, cached per day: a <see cref="TimeZoneInfo"/> conversion costs
/// microseconds and the generator makes a few hundred thousand. Only the two days a year with a clock change take
/// the slow path.
/// </summary>
internal sealed class DemoClock(TimeZoneInfo timeZone)
{
    private readonly Dictionary<DateOnly, TimeSpan?> _offsetByDay = [];

    public DateTime ToUtc(DateOnly date, TimeSpan timeOfDay)
    {
        if (!_offsetByDay.TryGetValue(date, out var offset))
        {
            var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            var first = timeZone.GetUtcOffset(midnight);
            offset = first == timeZone.GetUtcOffset(midnight.AddDays(1).AddTicks(-1)) ? first : null;
            _offsetByDay.Add(date, offset);
        }
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay;
        if (offset is { } steady)
        {
            return DateTime.SpecifyKind(local - steady, DateTimeKind.Utc);
        }
        if (timeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // the hour skipped when clocks spring forward
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, timeZone);
    }
}
