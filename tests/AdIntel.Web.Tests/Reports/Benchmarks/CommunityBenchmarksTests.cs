using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Reports.Benchmarks;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Reports.Benchmarks;

/// <summary>
/// The pooled benchmarks on an app of their own (so no other test's stores are opted in): stores opt in through the
/// API, their facts give known KPIs, and the benchmarks report's percentiles are checked against a hand computation.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CommunityBenchmarksTests(AppFixture fixture)
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(PinnedDate.UtcNow).AddDays(-10);

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 0.25, 1.75)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 0.5, 2.5)]
    [InlineData(new[] { 10.0, 20, 30, 40, 50 }, 0.75, 40)]
    [InlineData(new[] { 7.0 }, 0.25, 7)]
    public void Percentile_interpolates_between_closest_ranks(double[] values, double p, double expected) =>
        Assert.Equal((decimal)expected, CommunityBenchmarks.Percentile(values.Select(v => (decimal)v).ToList(), (decimal)p));

    [Fact]
    public async Task Percentiles_appear_with_five_opted_in_stores_leave_out_the_others_and_drop_when_one_opts_out()
    {
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite);
        // MER of store i is its gross sales ÷ 500 of ad spend: 2, 3, 5, 8, 13; AOV is gross sales ÷ 10 orders.
        decimal[] grossSales = [1000, 1500, 2500, 4000, 6500];
        var stores = new List<(long Id, HttpClient Owner)>();
        foreach (var gross in grossSales)
        {
            stores.Add(await StoreWithFactsAsync(local, gross));
        }
        // A store that does not opt in, with a MER of 100 that would move every percentile.
        var outsider = await StoreWithFactsAsync(local, 50000);
        // Demo data is generated: never pooled even when opted in.
        var demo = await StoreWithFactsAsync(local, 90000);
        await local.App.WithDbAsync(null, async db =>
        {
            var store = await db.Stores.AsTracking().SingleAsync(s => s.Id == demo.Id);
            store.IsDemo = true;
            await db.SaveChangesAsync();
        });
        await OptAsync(demo.Owner, true);

        foreach (var (_, owner) in stores.Take(4))
        {
            await OptAsync(owner, true);
        }
        var four = await CommunityAsync(stores[0].Owner);
        Assert.True(four.GetProperty("optedIn").GetBoolean());
        Assert.Equal(4, four.GetProperty("contributors").GetInt32());
        Assert.Equal(5, four.GetProperty("minimumStores").GetInt32());
        Assert.All(four.GetProperty("metrics").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("p50").ValueKind));

        await OptAsync(stores[4].Owner, true);
        var five = await CommunityAsync(stores[0].Owner);
        Assert.Equal(5, five.GetProperty("contributors").GetInt32());
        // Sorted MERs 2, 3, 5, 8, 13: ranks (5 − 1)·p = 1, 2, 3 fall on values; AOVs 100, 150, 250, 400, 650 likewise.
        var mer = Metric(five, "mer");
        Assert.Equal(5, mer.GetProperty("stores").GetInt32());
        Assert.Equal(3m, mer.GetProperty("p25").GetDecimal());
        Assert.Equal(5m, mer.GetProperty("p50").GetDecimal());
        Assert.Equal(8m, mer.GetProperty("p75").GetDecimal());
        Assert.Equal(2m, mer.GetProperty("store").GetDecimal());
        Assert.Equal("below_p25", mer.GetProperty("position").GetString());
        var aov = Metric(five, "aov");
        Assert.Equal(150m, aov.GetProperty("p25").GetDecimal());
        Assert.Equal(250m, aov.GetProperty("p50").GetDecimal());
        Assert.Equal(400m, aov.GetProperty("p75").GetDecimal());
        // CAC lower is better: 500 ÷ 5 new customers = 100 for every store.
        var cac = Metric(five, "cac");
        Assert.False(cac.GetProperty("higherIsBetter").GetBoolean());
        Assert.Equal(100m, cac.GetProperty("p50").GetDecimal());
        // The top store stands above the 75th percentile.
        Assert.Equal("above_p75", Metric(await CommunityAsync(stores[4].Owner), "mer").GetProperty("position").GetString());
        // Anonymous: the answer names no store and holds none of the others' own figures.
        var text = five.GetRawText();
        Assert.DoesNotContain("Store ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":13", text, StringComparison.Ordinal);

        // A store that does not share sees nothing of the pool.
        var outside = await CommunityAsync(outsider.Owner);
        Assert.False(outside.GetProperty("optedIn").GetBoolean());
        Assert.All(outside.GetProperty("metrics").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("p50").ValueKind));

        // Opting out takes the store out of the pool on the next request.
        await OptAsync(stores[4].Owner, false);
        var afterOptOut = await CommunityAsync(stores[0].Owner);
        Assert.Equal(4, afterOptOut.GetProperty("contributors").GetInt32());
        Assert.Equal(JsonValueKind.Null, Metric(afterOptOut, "mer").GetProperty("p50").ValueKind);
    }

    [Fact]
    public async Task The_benchmarks_page_shows_the_stores_like_yours_section()
    {
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite);
        var (storeId, _) = await StoreWithFactsAsync(local, 1000);
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        var period = $"from={Iso(Day)}&to={Iso(Day)}";

        var before = await browser.Client.GetStringAsync($"/reports/benchmarks?{period}");
        Assert.Contains("Stores like yours", before, StringComparison.Ordinal);
        Assert.Contains("does not share its figures", before, StringComparison.Ordinal);

        // The Community settings form (antiforgery token, as htmx posts it) turns sharing on.
        using var saved = await browser.PostHtmxAsync("/settings/community", ("Share", "true"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("data-testid=\"community-saved\"", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await browser.Client.GetStringAsync($"/reports/benchmarks?{period}");
        Assert.Contains("1 store of this installation (yours included) share", after, StringComparison.Ordinal);
        Assert.Contains("Needs 5 stores (1 with this figure)", after, StringComparison.Ordinal);
    }

    private static async Task<(long Id, HttpClient Owner)> StoreWithFactsAsync(LocalApp local, decimal grossSales)
    {
        var storeId = await local.CreateStoreAsync();
        await local.App.WithDbAsync(storeId, async db =>
        {
            db.DailyFacts.Add(new DailyStoreFacts
            {
                Date = Day, Orders = 10, GrossSales = grossSales, OrderTotals = grossSales, NewCustomers = 5, AdSpend = 500,
                PlatformPurchaseValue = grossSales / 2,
            });
            await db.SaveChangesAsync();
        });
        return (storeId, await local.CreateTokenClientAsync(storeId, StoreRole.Owner));
    }

    private static async Task OptAsync(HttpClient owner, bool share)
    {
        using var response = await owner.PutAsJsonAsync("/api/settings/community", new { benchmarks = share });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> CommunityAsync(HttpClient client)
    {
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/reports/benchmarks?from={Iso(Day)}&to={Iso(Day)}");
        return json.GetProperty("data").GetProperty("community");
    }

    private static JsonElement Metric(JsonElement community, string metric) =>
        community.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == metric);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
