using System.Net;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Metrics;

/// <summary>
/// The facts builder and /api/overview on a small store whose every number is worked out by hand below.
/// Period 2025-06-01 … 06-03, previous period 2025-05-29 … 05-31.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OverviewMetricsTests(AppFixture fixture)
{
    private static readonly DateOnly May30 = new(2025, 5, 30);
    private static readonly DateOnly June1 = new(2025, 6, 1);
    private static readonly DateOnly June2 = new(2025, 6, 2);
    private static readonly DateOnly June3 = new(2025, 6, 3);

    private sealed record JuneStore(TestStore Store, long Anna, long Ben, long Cleo);

    /// <summary>
    /// Anna: first order June 1 (refunded 30 on June 3), repeat June 3. Ben: first order May 30 (refunded 20 on June 2),
    /// order June 2, a test order June 1. Cleo: only a cancelled order. One guest order June 2.
    /// Settings: shipping cost 4 per order, other marketing 300 a month, default fees (2.9% + 0.30).
    /// </summary>
    private static async Task<JuneStore> BuildJuneStoreAsync(AdIntelApp app)
    {
        var store = await app.CreateStoreAsync();
        var id = store.StoreId;
        var anna = await app.AddCustomerAsync(id, "anna");
        var ben = await app.AddCustomerAsync(id, "ben");
        var cleo = await app.AddCustomerAsync(id, "cleo");

        var annaFirst = Order("1001", June1, anna, discounts: 10, shipping: 5, taxes: 8, lines: [Line(2, 30, 10), Line(1, 40, null)]);
        annaFirst.Refunds.Add(Refund("r1", June3, 30));
        var benFirst = Order("1000", May30, ben, shipping: 5, taxes: 4.8m, lines: [Line(1, 60, null)]);
        benFirst.Refunds.Add(Refund("r2", June2, 20));
        var cancelled = Order("1005", June2, cleo, cancelled: true, lines: [Line(1, 500, 100)]);
        cancelled.Refunds.Add(Refund("r3", June2, 500));
        await app.AddOrdersAsync(id,
            benFirst,
            annaFirst,
            Order("1002", June2, ben, shipping: 10, taxes: 16, lines: [Line(4, 50, 20)]),
            Order("1003", June2, null, discounts: 5, taxes: 4, lines: [Line(1, 50, 15)]),
            Order("1004", June3, anna, shipping: 5, taxes: 6.4m, lines: [Line(1, 80, 30)]),
            Order("1006", June1, ben, isTest: true, lines: [Line(1, 999, 1)]),
            cancelled);

        var ads = await app.AddCampaignsAsync(id, "Prospecting", "Retargeting");
        await app.AddInsightsAsync(id,
            Insight(ads["Prospecting"], May30, 50, 100),
            Insight(ads["Prospecting"], June1, 40, 150, purchases: 2, impressions: 1000, clicks: 20),
            Insight(ads["Prospecting"], June2, 30, 90, purchases: 1, impressions: 800, clicks: 15),
            Insight(ads["Retargeting"], June2, 30, 0, impressions: 500, clicks: 5),
            Insight(ads["Retargeting"], June3, 20, 60, purchases: 1, impressions: 400, clicks: 4));
        await app.UpdateSettingsAsync(id, s =>
        {
            s.ShippingCostPerOrder = 4;
            s.OtherMarketingCostPerMonth = 300;
        });
        await app.RebuildFactsAsync(id);
        return new JuneStore(store, anna, ben, cleo);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task RebuildAsync_books_orders_on_their_day_and_refunds_on_the_refund_day(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);

        var facts = await app.WithDbAsync(june.Store.StoreId, db => db.DailyFacts.AsNoTracking().OrderBy(f => f.Date).ToListAsync());

        Assert.Equal([May30, June1, June2, June3], facts.Select(f => f.Date));
        var day1 = facts[1];
        Assert.Equal((1, 100m, 10m, 0m, 103m), (day1.Orders, day1.GrossSales, day1.Discounts, day1.Returns, day1.OrderTotals));
        Assert.Equal((20m, 2, 1), (day1.Cogs, day1.LineItems, day1.LineItemsWithCost));
        Assert.Equal((1, 60m), (day1.NewCustomers, day1.NewCustomerNetSales));     // Anna: 100 − 10 − 30 refunded later
        Assert.Equal((40m, 150m, 2m, 1000L, 20L), (day1.AdSpend, day1.PlatformPurchaseValue, day1.PlatformPurchases, day1.Impressions, day1.LinkClicks));
        var day2 = facts[2];
        Assert.Equal((2, 250m, 5m, 20m, 95m), (day2.Orders, day2.GrossSales, day2.Discounts, day2.Returns, day2.Cogs));  // guest order counts, cancelled does not
        Assert.Equal((0, 60m, 1300L), (day2.NewCustomers, day2.AdSpend, day2.Impressions));
        var day3 = facts[3];
        Assert.Equal((1, 30m, 0), (day3.Orders, day3.Returns, day3.NewCustomers));
        Assert.Equal((1, 40m), (facts[0].NewCustomers, facts[0].NewCustomerNetSales));   // Ben: 60 − 20 refunded later
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task RebuildAsync_twice_gives_the_same_facts(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);
        static Task<List<string>> Snapshot(AdIntelApp app, long storeId) => app.WithDbAsync(storeId, async db =>
            (await db.DailyFacts.AsNoTracking().OrderBy(f => f.Date).ToListAsync())
            .Select(f => $"{f.Date}|{f.Orders}|{f.GrossSales:0.00}|{f.Returns:0.00}|{f.Cogs:0.00}|{f.NewCustomers}|{f.AdSpend:0.00}").ToList());

        var before = await Snapshot(app, june.Store.StoreId);
        await app.RebuildFactsAsync(june.Store.StoreId);

        Assert.Equal(before, await Snapshot(app, june.Store.StoreId));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task RebuildAsync_run_concurrently_for_one_store_leaves_one_set_of_facts(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => app.RebuildFactsAsync(june.Store.StoreId))));

        var dates = await app.WithDbAsync(june.Store.StoreId, db => db.DailyFacts.AsNoTracking().OrderBy(f => f.Date).Select(f => f.Date).ToListAsync());
        Assert.Equal([May30, June1, June2, June3], dates);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Overview_returns_every_kpi_of_the_period_computed_by_hand(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);

        using var json = await GetJsonAsync(june.Store.Api, "/api/overview?from=2025-06-01&to=2025-06-03");
        var data = json.RootElement.GetProperty("data");
        var kpis = data.GetProperty("kpis");

        Assert.Equal("2025-06-01", data.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("2025-06-03", data.GetProperty("period").GetProperty("to").GetString());
        AssertNumbers(kpis, new()
        {
            ["grossSales"] = 430m,           // 100 + 200 + 50 + 80 (test and cancelled orders excluded)
            ["discounts"] = 15m,             // 10 + 5
            ["returns"] = 50m,               // 30 (June 3) + 20 (June 2, of Ben's May order)
            ["netSales"] = 365m,
            ["shipping"] = 20m,
            ["taxes"] = 34.4m,
            ["totalSales"] = 419.4m,
            ["orders"] = 4m,
            ["newCustomers"] = 1m,           // Anna; Ben's first order was in May; the guest is no customer
            ["aov"] = 103.75m,               // 415 / 4
            ["adSpend"] = 120m,
            ["marketingSpend"] = 150m,       // + 3 days × 300 / 30
            ["mer"] = 2.796m,                // 419.4 / 150
            ["roas"] = 2.5m,                 // 300 / 120
            ["ncRoas"] = 0.5m,               // Anna's first order net of its refund: 60 / 120
            ["cac"] = 150m,
            ["cogs"] = 145m,                 // 20 + 80 + 15 + 30
            ["cogsCoverage"] = 0.907m,       // 390 of 430 line sales (Anna’s 40 line has no cost)
            ["grossProfit"] = 220m,
            ["contributionMargin"] = 209.19m, // 220 + 20 − 4 × 4 − (469.4 × 2.9% + 4 × 0.30)
            ["profitAfterAds"] = 59.19m,
            ["breakEvenRoas"] = 1.7448m,     // 365 / 209.1874
            ["poas"] = 1.7432m,              // 209.1874 / 120
        });
        Assert.Equal(JsonValueKind.Null, kpis.GetProperty("ltv").ValueKind);
        Assert.Equal("insufficient_history", kpis.GetProperty("ltvBasis").GetString());
        Assert.Equal(JsonValueKind.Null, kpis.GetProperty("ltvToCac").ValueKind);
        Assert.Equal(JsonValueKind.Null, kpis.GetProperty("paybackDays").ValueKind);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Overview_previous_is_the_period_of_equal_length_right_before(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);

        using var json = await GetJsonAsync(june.Store.Api, "/api/overview?from=2025-06-01&to=2025-06-03");
        var data = json.RootElement.GetProperty("data");

        Assert.Equal("2025-05-29", data.GetProperty("previousPeriod").GetProperty("from").GetString());
        Assert.Equal("2025-05-31", data.GetProperty("previousPeriod").GetProperty("to").GetString());
        AssertNumbers(data.GetProperty("previous"), new()
        {
            ["grossSales"] = 60m,
            ["returns"] = 0m,                // Ben's refund is booked on June 2
            ["totalSales"] = 69.8m,
            ["orders"] = 1m,
            ["newCustomers"] = 1m,
            ["adSpend"] = 50m,
            ["marketingSpend"] = 79.03m,     // 50 + 3 × 300 / 31
            ["mer"] = 0.8832m,
            ["roas"] = 2m,
            ["ncRoas"] = 0.8m,               // (60 − 20 refunded later) / 50
            ["cac"] = 79.03m,
            ["cogsCoverage"] = 0m,
            ["contributionMargin"] = 58.68m, // 60 + 5 − 4 − (69.8 × 2.9% + 0.30)
        });
    }

    [Fact]
    public async Task MetricsService_gives_the_same_numbers_for_a_period_its_days_and_the_comparison()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var june = await BuildJuneStoreAsync(app);
        var range = new DateRange(June1, June3);

        var (kpis, series, comparison) = await app.WithServiceAsync<MetricsService, (KpiSet, IReadOnlyList<DailyPoint>, KpiComparison)>(
            june.Store.StoreId, async metrics => (
                await metrics.GetKpisAsync(range, CancellationToken.None),
                await metrics.GetDailySeriesAsync(range, CancellationToken.None),
                await metrics.GetComparisonAsync(range, CancellationToken.None)));

        Assert.Equal(365m, kpis.NetSales);
        Assert.Equal(kpis, comparison.Current);
        Assert.Equal(new DateRange(new DateOnly(2025, 5, 29), new DateOnly(2025, 5, 31)), comparison.Previous.Period);
        Assert.Equal([June1, June2, June3], series.Select(p => p.Date));
        Assert.Equal(kpis.TotalSales, series.Sum(p => p.Kpis.TotalSales));
        Assert.Equal(kpis.MarketingSpend, series.Sum(p => p.Kpis.MarketingSpend));
        Assert.Equal(kpis.NewCustomers, series.Sum(p => p.Kpis.NewCustomers));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Timeseries_returns_one_point_per_day_with_the_asked_metrics(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var june = await BuildJuneStoreAsync(app);

        using var json = await GetJsonAsync(june.Store.Api, "/api/overview/timeseries?from=2025-05-31&to=2025-06-03&metrics=totalSales,adSpend,mer,newCustomers");
        var points = json.RootElement.GetProperty("data").EnumerateArray().ToList();

        Assert.Equal(["2025-05-31", "2025-06-01", "2025-06-02", "2025-06-03"], points.Select(p => p.GetProperty("date").GetString()));
        Assert.Equal(["date", "totalSales", "adSpend", "mer", "newCustomers"], points[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(0m, points[0].GetProperty("totalSales").GetDecimal());
        AssertNumbers(points[2], new()
        {
            ["totalSales"] = 255m,           // (200 + 45 − 20) + 10 + 20
            ["adSpend"] = 60m,
            ["mer"] = 3.6429m,               // 255 / (60 + 10)
            ["newCustomers"] = 0m,
        });
    }

    /// <summary>
    /// Ava: 60 on day 0, 30 on day 10, −10 refunded on day 20. Bo: 50 on day 0. Dan: first order 2025-02-01, the store's
    /// last order day, so cohorts up to 2024-02-02 have a full year. 60 of ad spend on 2025-02-01.
    /// </summary>
    private static async Task<(TestStore Store, Order BoFirst)> BuildCohortStoreAsync(AdIntelApp app)
    {
        var store = await app.CreateStoreAsync();
        var id = store.StoreId;
        var ava = await app.AddCustomerAsync(id, "ava");
        var bo = await app.AddCustomerAsync(id, "bo");
        var dan = await app.AddCustomerAsync(id, "dan");
        var avaFirst = Order("1", new DateOnly(2024, 1, 1), ava, lines: [Line(1, 100, 40)]);   // profit 60 on day 0
        avaFirst.Refunds.Add(Refund("r1", new DateOnly(2024, 1, 21), 10));                    // −10 on day 20
        var boFirst = Order("3", new DateOnly(2024, 2, 1), bo, lines: [Line(1, 80, 30)]);      // profit 50 on day 0
        await app.AddOrdersAsync(id,
            avaFirst,
            Order("2", new DateOnly(2024, 1, 11), ava, lines: [Line(1, 50, 20)]),            // profit 30 on day 10
            boFirst,
            Order("4", new DateOnly(2025, 2, 1), dan, lines: [Line(1, 100, 50)]));           // last order: cohorts up to 2024-02-02 qualify
        var ads = await app.AddCampaignsAsync(id, "Prospecting");
        await app.AddInsightsAsync(id, Insight(ads["Prospecting"], new DateOnly(2025, 2, 1), 60, 100));
        await app.RebuildFactsAsync(id);
        return (store, boFirst);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Overview_reports_observed_ltv_and_payback_once_a_cohort_is_a_year_old(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var (store, boFirst) = await BuildCohortStoreAsync(app);
        var id = store.StoreId;

        using (var json = await GetJsonAsync(store.Api, "/api/overview?from=2025-02-01&to=2025-02-01"))
        {
            var kpis = json.RootElement.GetProperty("data").GetProperty("kpis");
            Assert.Equal("observed", kpis.GetProperty("ltvBasis").GetString());
            AssertNumbers(kpis, new()
            {
                ["ltv"] = 65m,               // (60 + 30 − 10 + 50) / 2
                ["cac"] = 60m,               // Dan, 60 of spend
                ["ltvToCac"] = 1.0833m,
                ["paybackDays"] = 10m,       // day 0: 55 < 60; day 10: 70
            });
        }

        // A refund within Bo's first year lowers the curve as soon as the facts are rebuilt (the cached curve is replaced).
        await app.WithDbAsync(id, async db =>
        {
            db.Refunds.Add(new Refund { OrderId = boFirst.Id, ExternalId = "r2", LocalDate = new DateOnly(2024, 2, 5), Amount = 20, CreatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
        });
        await app.RebuildFactsAsync(id);

        using (var json = await GetJsonAsync(store.Api, "/api/overview?from=2025-02-01&to=2025-02-01"))
        {
            var kpis = json.RootElement.GetProperty("data").GetProperty("kpis");
            AssertNumbers(kpis, new() { ["ltv"] = 55m, ["paybackDays"] = 10m });
        }
    }

    [Fact]
    public async Task Overview_replaces_the_cached_ltv_when_the_facts_change_underneath()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var (store, boFirst) = await BuildCohortStoreAsync(app);
        const string url = "/api/overview?from=2025-02-01&to=2025-02-01";
        using (var before = await GetJsonAsync(store.Api, url))
        {
            Assert.Equal(65m, before.RootElement.GetProperty("data").GetProperty("kpis").GetProperty("ltv").GetDecimal());
        }

        // What another app instance's rebuild leaves behind: a new refund and the facts that book it, while this
        // instance's cached curve was never told.
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var day = new DateOnly(2024, 2, 5);
            db.Refunds.Add(new Refund { OrderId = boFirst.Id, ExternalId = "r2", LocalDate = day, Amount = 20, CreatedAtUtc = PinnedDate.UtcNow });
            db.DailyFacts.Add(new DailyStoreFacts { Date = day, Returns = 20 });
            await db.SaveChangesAsync();
        });

        using var after = await GetJsonAsync(store.Api, url);
        Assert.Equal(55m, after.RootElement.GetProperty("data").GetProperty("kpis").GetProperty("ltv").GetDecimal());
    }

    [Theory]
    [InlineData("/api/overview?from=2025-13-01&to=2025-12-31", "from")]
    [InlineData("/api/overview?from=2025-06-03&to=2025-06-01", "from")]
    [InlineData("/api/overview?from=2020-01-01&to=2025-01-01", "to")]
    [InlineData("/api/overview?preset=fortnight", "preset")]
    [InlineData("/api/overview/timeseries?from=2025-06-01", "to")]
    public async Task Overview_with_bad_dates_answers_400_with_the_error_envelope(string url, string parameter)
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await app.CreateStoreAsync();

        var response = await store.Api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_date_range", error.GetProperty("code").GetString());
        Assert.Contains(parameter, error.GetProperty("message").GetString());
        Assert.Equal(parameter, error.GetProperty("details").GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Timeseries_with_an_unknown_metric_answers_400_naming_the_valid_ones()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await app.CreateStoreAsync();

        var response = await store.Api.GetAsync("/api/overview/timeseries?metrics=mer,revenue");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Contains("\"revenue\"", error.GetProperty("message").GetString());
        Assert.Contains("profitAfterAds", error.GetProperty("message").GetString());
        Assert.Equal(["revenue"], error.GetProperty("details").GetProperty("unknown").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Overview_without_dates_covers_the_last_30_complete_days()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await app.CreateStoreAsync();

        using var json = await GetJsonAsync(store.Api, "/api/overview");
        var data = json.RootElement.GetProperty("data");

        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);   // the test store's time zone is UTC
        Assert.Equal("30d", data.GetProperty("preset").GetString());
        Assert.Equal(today.AddDays(-30).ToString("yyyy-MM-dd"), data.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal(today.AddDays(-1).ToString("yyyy-MM-dd"), data.GetProperty("period").GetProperty("to").GetString());
        Assert.Equal(0m, data.GetProperty("kpis").GetProperty("totalSales").GetDecimal());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("kpis").GetProperty("mer").ValueKind);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static void AssertNumbers(JsonElement element, Dictionary<string, decimal> expected)
    {
        foreach (var (key, value) in expected)
        {
            var property = element.GetProperty(key);
            Assert.True(property.ValueKind == JsonValueKind.Number, $"{key} is {property.ValueKind}, expected {value}");
            Assert.True(value == property.GetDecimal(), $"{key}: expected {value}, got {property.GetDecimal()}");
        }
    }
}
