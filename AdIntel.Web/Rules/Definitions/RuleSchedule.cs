using System.Globalization;
using System.Text.Json.Serialization;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>
/// When a rule runs (the rule JSON's <c>"schedule": {...}</c>): <c>{"everyMinutes": 15|30|60}</c> or <c>{"dailyAt": "HH:mm"}</c>
/// in the store's time zone. Runs happen in slots: a rule acts at most once per entity and action per slot.
/// </summary>
public sealed record RuleSchedule
{
    public static readonly IReadOnlyList<int> Intervals = [15, 30, 60];

    public static RuleSchedule Default { get; } = new() { EveryMinutes = 60 };

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EveryMinutes { get; init; }

    /// <summary>Local time of day, "HH:mm" (24 h).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DailyAt { get; init; }

    /// <summary>Problems with the schedule; empty when valid.</summary>
    public string? Problem()
    {
        if (EveryMinutes is not null && DailyAt is not null)
        {
            return "Give either everyMinutes or dailyAt, not both.";
        }
        if (EveryMinutes is { } minutes)
        {
            return Intervals.Contains(minutes) ? null : "everyMinutes must be 15, 30 or 60.";
        }
        if (DailyAt is not null)
        {
            return TryParseTime(DailyAt, out _) ? null : "dailyAt must be a time of day as HH:mm, e.g. \"07:30\".";
        }
        return "Give everyMinutes (15, 30 or 60) or dailyAt (\"HH:mm\").";
    }

    /// <summary>
    /// The start (UTC) of the slot <paramref name="now"/> falls in: the last quarter, half or full hour of the store's
    /// local clock, or the last occurrence of the daily time.
    /// </summary>
    public DateTime SlotStartUtc(DateTimeOffset now, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(now, timeZone);
        DateTime slotLocal;
        if (DailyAt is not null && TryParseTime(DailyAt, out var at))
        {
            slotLocal = local.Date + at.ToTimeSpan();
            if (slotLocal > local.DateTime)
            {
                slotLocal = slotLocal.AddDays(-1);
            }
        }
        else
        {
            var minutes = EveryMinutes ?? 60;
            var minuteOfDay = (int)local.TimeOfDay.TotalMinutes;
            slotLocal = local.Date.AddMinutes(minuteOfDay - (minuteOfDay % minutes));
        }
        // A local time skipped or repeated by a daylight-saving change maps to the nearest valid instant.
        var unspecified = DateTime.SpecifyKind(slotLocal, DateTimeKind.Unspecified);
        if (timeZone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, timeZone);
    }

    public string Describe() => DailyAt is not null ? $"Daily at {DailyAt} (store time)" : $"Every {EveryMinutes ?? 60} minutes";

    public static bool TryParseTime(string value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
