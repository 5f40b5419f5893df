namespace AdIntel.Web.Alerts.Notifications;

/// <summary>Quiet hours in the store's time zone: from a local start to a local end, possibly past midnight.</summary>
public static class QuietHours
{
    /// <summary>When the quiet hours around <paramref name="nowUtc"/> end (UTC), or null when it is not within them.</summary>
    public static DateTime? EndsAtUtc(DateTime nowUtc, TimeZoneInfo timeZone, TimeOnly start, TimeOnly end)
    {
        if (start == end)
        {
            return null;
        }
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), timeZone);
        var time = TimeOnly.FromDateTime(local);
        var today = DateOnly.FromDateTime(local);
        DateOnly endDay;
        if (start < end)
        {
            if (time < start || time >= end)
            {
                return null;
            }
            endDay = today;
        }
        else if (time >= start)
        {
            endDay = today.AddDays(1);
        }
        else if (time < end)
        {
            endDay = today;
        }
        else
        {
            return null;
        }
        var localEnd = endDay.ToDateTime(end, DateTimeKind.Unspecified);
        // An end that falls in a skipped hour (clocks going forward) is the first moment after it.
        while (timeZone.IsInvalidTime(localEnd))
        {
            localEnd = localEnd.AddMinutes(30);
        }
        return TimeZoneInfo.ConvertTimeToUtc(localEnd, timeZone);
    }
}
