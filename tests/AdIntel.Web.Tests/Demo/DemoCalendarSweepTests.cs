using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Tests.Demo;

/// <summary>
/// The demo store is generated up to yesterday, so its calendar moves every day. These tests generate it as of days
/// that have broken it before or could: today, a leap day, both clock changes in New York, Black Friday, Christmas Eve,
/// New Year's Day, and the days whose outage would fall on Christmas or Thanksgiving. Run the app-level demo tests at
/// any of them with scripts/test-on-date.sh.
/// </summary>
public sealed class DemoCalendarSweepTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById(DemoStoreGenerator.TimeZoneId);

    public static TheoryData<string> Days()
    {
        string[] fixedDays =
        [
            "2028-02-29", // leap day
            "2027-03-14", // clocks spring forward in New York
            "2027-11-07", // clocks fall back
            "2026-11-27", // Black Friday
            "2026-12-24", // Christmas Eve
            "2027-01-01", // New Year's Day
            "2027-02-03", // 40 days back is Christmas Day
            "2027-01-05", // 40 days back is Thanksgiving week
        ];
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(PinnedDate.UtcNow, NewYork)).ToString("yyyy-MM-dd");
        return new TheoryData<string>(fixedDays.Append(today).Distinct());
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void The_tracking_outage_is_found_as_exactly_its_own_days(string today)
    {
        var data = DemoStoreGenerator.Generate(new DemoOptions { Orders = AppFixture.DemoOrders }, DateOnly.Parse(today));
        var facts = FactsOf(data);

        // Judge every day of the history as "today", as the circuit breaker would have on that day.
        var broken = facts.Skip(40).SelectMany(f => TrackingHealth.Evaluate(facts, f.Date.AddDays(1), 50).BrokenDays).Distinct().Order().ToList();

        var outage = Enumerable.Range(0, data.TrackingOutageTo.DayNumber - data.TrackingOutageFrom.DayNumber + 1).Select(data.TrackingOutageFrom.AddDays);
        Assert.Equal(outage, broken);
        Assert.Equal(DemoStoreGenerator.TrackingOutageDays(data.LastDay), (data.TrackingOutageFrom, data.TrackingOutageTo));
        Assert.InRange(data.LastDay.DayNumber - data.TrackingOutageFrom.DayNumber, 40, 80);
    }

    [Theory]
    [MemberData(nameof(Days))]
    public void The_history_ends_yesterday_with_local_dates_true_to_new_york(string today)
    {
        var day = DateOnly.Parse(today);
        var options = new DemoOptions { Orders = AppFixture.DemoOrders };
        var data = DemoStoreGenerator.Generate(options, day);

        Assert.Equal(day.AddDays(-1), data.LastDay);
        Assert.Equal(day.AddMonths(-options.Months), data.FirstDay);
        Assert.InRange(data.Orders.Count, options.Orders * 0.9, options.Orders * 1.1);
        Assert.Equal(data.LastDay, data.Orders.Max(o => o.LocalDate));
        Assert.Equal(data.LastDay, data.Insights.Max(i => i.Date));
        Assert.All(data.Orders, o => Assert.Equal(o.LocalDate, DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(o.CreatedAtUtc, NewYork))));
        Assert.All(data.Refunds, r => Assert.InRange(r.LocalDate, data.FirstDay, data.LastDay));
        // Every day of the history has orders and ad delivery, holidays and clock changes included.
        var orderDays = data.Orders.Select(o => o.LocalDate).ToHashSet();
        var deliveryDays = data.Insights.Select(i => i.Date).ToHashSet();
        var everyDay = Enumerable.Range(0, data.LastDay.DayNumber - data.FirstDay.DayNumber + 1).Select(data.FirstDay.AddDays).ToList();
        Assert.All(everyDay.Skip(14), d => Assert.Contains(d, deliveryDays));
        Assert.True(everyDay.Skip(14).Count(orderDays.Contains) >= everyDay.Count - 14 - 3, "days without orders");
    }

    /// <summary>The daily facts the breaker reads, as the facts builder derives them (orders that count as sales).</summary>
    private static List<DailyStoreFacts> FactsOf(DemoStoreData data)
    {
        var days = new SortedDictionary<DateOnly, DailyStoreFacts>();
        DailyStoreFacts Day(DateOnly date) => days.TryGetValue(date, out var f) ? f : days[date] = new DailyStoreFacts { Date = date };
        foreach (var order in data.Orders.Where(o => o.CountsAsSale))
        {
            Day(order.LocalDate).Orders++;
        }
        foreach (var insight in data.Insights)
        {
            var day = Day(insight.Date);
            day.AdSpend += insight.Spend;
            day.PlatformPurchases += insight.Purchases;
        }
        return [.. days.Values];
    }
}
