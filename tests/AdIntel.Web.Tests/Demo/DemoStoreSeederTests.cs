using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Demo;

[Collection(AppCollection.Name)]
public sealed class DemoStoreSeederTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Startup_seeds_the_demo_store_with_orders_ads_and_facts(string provider)
    {
        var app = await fixture.HostAsync(provider);

        var store = await app.WithDbAsync(null, db => db.Stores.SingleAsync(s => s.Id == app.DemoStoreId));
        Assert.True(store.IsDemo);
        Assert.Equal(DemoStoreGenerator.StoreName, store.Name);
        Assert.Equal("America/New_York", store.TimeZone);

        await app.WithDbAsync(app.DemoStoreId, async db =>
        {
            var orders = await db.Orders.CountAsync();
            Assert.InRange(orders, AppFixture.DemoOrders * 0.9, AppFixture.DemoOrders * 1.1);
            Assert.True(await db.OrderLines.CountAsync() > orders);
            Assert.True(await db.Refunds.CountAsync() > 0);
            Assert.True(await db.DailyFacts.SumAsync(f => f.NewCustomers) > 1000);
            Assert.Equal(1, await db.AdAccounts.CountAsync());
            Assert.True(await db.Ads.CountAsync() > 100);
            Assert.True(await db.ProductVariants.CountAsync(v => v.UnitCost == null) > 0);
            var settings = await db.StoreSettings.SingleAsync();
            Assert.Equal(DemoStoreGenerator.OtherMarketingCostPerMonth, settings.OtherMarketingCostPerMonth);

            // The links survived insertion: every line, refund and insight points at its own store's parent.
            Assert.Equal(0, await db.OrderLines.CountAsync(l => !db.Orders.Any(o => o.Id == l.OrderId)));
            Assert.Equal(0, await db.AdInsights.CountAsync(i => !db.Ads.Any(a => a.Id == i.AdId)));

            // The facts were built from the seeded rows.
            var facts = await db.DailyFacts.ToListAsync();
            var saleOrders = await db.Orders.CountAsync(o => !o.IsTest && o.CancelledAtUtc == null);
            var spend = (await db.AdInsights.Select(i => i.Spend).ToListAsync()).Sum();
            var firstDay = await db.Orders.MinAsync(o => o.LocalDate);
            var lastDay = await db.Orders.MaxAsync(o => o.LocalDate);
            Assert.Equal(saleOrders, facts.Sum(f => f.Orders));
            Assert.Equal(spend, facts.Sum(f => f.AdSpend));
            Assert.Equal(lastDay.DayNumber - firstDay.DayNumber + 1, facts.Count(f => f.Date >= firstDay && f.Date <= lastDay));
            Assert.True(facts.Sum(f => f.NewCustomers) > 1000);
        });
    }

    [Fact]
    public async Task Seeded_history_ends_yesterday_in_the_store_time_zone()
    {
        var app = fixture.SqliteApp;
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(PinnedDate.UtcNow, newYork));

        var (lastOrderDay, lastInsightDay, lastCreated) = await app.WithDbAsync(app.DemoStoreId, async db => (
            await db.Orders.MaxAsync(o => o.LocalDate),
            await db.AdInsights.MaxAsync(i => i.Date),
            await db.Orders.OrderByDescending(o => o.LocalDate).Select(o => o.CreatedAtUtc).FirstAsync()));

        // The fixture started moments ago; allow for a run that crosses midnight in New York.
        Assert.InRange(lastOrderDay, today.AddDays(-2), today.AddDays(-1));
        Assert.Equal(lastOrderDay, lastInsightDay);
        Assert.True(lastCreated < PinnedDate.UtcNow);
        Assert.Equal(DateTimeKind.Utc, lastCreated.Kind);
    }
}
