using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>The current store's calendar: its time zone, currency and "today" (from <see cref="TimeProvider"/>).</summary>
public sealed class StoreClock(AdIntelDbContext db, StoreContext storeContext, TimeProvider time)
{
    private StoreCalendar? _calendar;

    /// <summary>Read once per scope: a store's time zone and currency do not change within a request.</summary>
    public async Task<StoreCalendar> GetCalendarAsync(CancellationToken cancellationToken)
    {
        if (_calendar is not null)
        {
            return _calendar;
        }
        var storeId = storeContext.RequiredStoreId;
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.TimeZone, s.Currency })
            .SingleAsync(cancellationToken);
        _calendar = new StoreCalendar(ResolveTimeZone(store.TimeZone), store.Currency);
        return _calendar;
    }

    public async Task<DateOnly> GetTodayAsync(CancellationToken cancellationToken) =>
        (await GetCalendarAsync(cancellationToken)).Today(time);

    /// <summary>IANA ids resolve on every platform .NET runs on; an unknown id falls back to UTC rather than failing every page.</summary>
    public static TimeZoneInfo ResolveTimeZone(string timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;
}

public sealed record StoreCalendar(TimeZoneInfo TimeZone, string Currency)
{
    public DateOnly Today(TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZone).DateTime);
}
