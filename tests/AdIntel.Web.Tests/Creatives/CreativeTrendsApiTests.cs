using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Creatives.Trends;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Tests.Integrations.Meta;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// <c>GET /api/creatives/trends</c>: on the demo store its figures add up to the store's own ads and every trend carries
/// them; competitors' ads read from the fake Ad Library show their shift; bad parameters are refused by name and
/// another store's competitor does not exist.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CreativeTrendsApiTests(AppFixture fixture)
{
    [Fact]
    public async Task The_demo_stores_trends_are_in_the_envelope_with_figures_that_add_up()
    {
        var app = fixture.SqliteApp;
        var data = (await Json(await app.CreateClient().GetAsync("/api/creatives/trends"))).GetProperty("data");

        Assert.Equal(CreativeTrendsQuery.DefaultWindowDays, data.GetProperty("windowDays").GetInt32());
        var recent = Window(data.GetProperty("recent"));
        var previous = Window(data.GetProperty("previous"));
        Assert.Equal(CreativeTrendsQuery.DefaultWindowDays - 1, recent.To.DayNumber - recent.From.DayNumber);
        Assert.Equal(recent.From.AddDays(-1), previous.To);
        Assert.Equal(previous.From.AddDays(CreativeTrendsQuery.DefaultWindowDays - 1), previous.To);

        var dimensions = data.GetProperty("dimensions").EnumerateArray().ToList();
        Assert.Equal(10, dimensions.Count);
        var launched = await app.WithDbAsync(app.DemoStoreId, db => db.Ads.Where(a => db.AdCreatives.Any(c => c.AdId == a.Id))
            .Select(a => new { a.StartDate, Format = db.AdCreatives.Where(c => c.AdId == a.Id).Select(c => c.Format).First() }).ToListAsync());
        var launchedRecently = launched.Where(a => a.StartDate >= recent.From && a.StartDate <= recent.To).ToList();
        var formats = dimensions.Single(d => d.GetProperty("source").GetString() == "store" && d.GetProperty("dimension").GetString() == "formats");
        Assert.Equal(launchedRecently.Count, formats.GetProperty("recentAds").GetInt32());
        foreach (var share in formats.GetProperty("shares").EnumerateArray())
        {
            var recentShare = share.GetProperty("recent");
            Assert.Equal(launchedRecently.Count(a => a.Format == share.GetProperty("key").GetString()), recentShare.GetProperty("count").GetInt32());
        }

        foreach (var dimension in dimensions)
        {
            Assert.False(string.IsNullOrWhiteSpace(dimension.GetProperty("summary").GetString()));
            foreach (var trend in dimension.GetProperty("trends").EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(trend.GetProperty("sentence").GetString()));
                if (trend.GetProperty("recent").ValueKind == JsonValueKind.Object)
                {
                    var (r, p) = (trend.GetProperty("recent"), trend.GetProperty("previous"));
                    Assert.Contains($"({r.GetProperty("count").GetInt32()} of {r.GetProperty("total").GetInt32()})", trend.GetProperty("sentence").GetString(), StringComparison.Ordinal);
                    Assert.True(Math.Abs(trend.GetProperty("changePoints").GetDecimal()) >= CreativeTrendEngine.MinChangePoints);
                    Assert.Equal(Math.Round((decimal)r.GetProperty("count").GetInt32() / r.GetProperty("total").GetInt32(), 4), r.GetProperty("share").GetDecimal());
                    Assert.True(p.GetProperty("total").GetInt32() >= CreativeTrendEngine.MinAdsPerWindow);
                }
            }
        }
        // The demo store watches no competitor: that side says so rather than show a trend.
        Assert.All(dimensions.Where(d => d.GetProperty("source").GetString() == "competitors"), d =>
        {
            Assert.False(d.GetProperty("enoughData").GetBoolean());
            Assert.StartsWith("Not enough data", d.GetProperty("summary").GetString(), StringComparison.Ordinal);
            Assert.Empty(d.GetProperty("trends").EnumerateArray());
        });
    }

    [Fact]
    public async Task Bad_parameters_are_refused_by_name_and_another_stores_competitor_is_not_found()
    {
        var app = fixture.SqliteApp;
        var viewer = await app.CreateStoreAsync(StoreRole.Viewer);
        using var ok = await viewer.Api.GetAsync("/api/creatives/trends?window=30&to=2026-01-31");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("2026-01-02", (await Json(ok)).GetProperty("data").GetProperty("recent").GetProperty("from").GetString());

        async Task<JsonElement> Refused(string query, HttpStatusCode status = HttpStatusCode.BadRequest)
        {
            using var response = await viewer.Api.GetAsync("/api/creatives/trends?" + query);
            Assert.Equal(status, response.StatusCode);
            return (await Json(response)).GetProperty("error");
        }
        Assert.Contains("from 14 to 365", (await Refused("window=7")).GetProperty("details").GetProperty("window").GetString(), StringComparison.Ordinal);
        Assert.Contains("from 14 to 365", (await Refused("window=ninety")).GetProperty("details").GetProperty("window").GetString(), StringComparison.Ordinal);
        Assert.Equal("to is a date as YYYY-MM-DD.", (await Refused("to=2026-13-01")).GetProperty("details").GetProperty("to").GetString());
        Assert.Contains("cannot be after today", (await Refused("to=2999-01-01")).GetProperty("details").GetProperty("to").GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 10 years", (await Refused("to=0001-01-01")).GetProperty("details").GetProperty("to").GetString(), StringComparison.Ordinal);
        Assert.Equal("bad_request", (await Refused("competitorId=abc")).GetProperty("code").GetString());

        var other = await app.CreateStoreAsync(StoreRole.Owner);
        using var added = await other.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "Theirs", searchTerms = new[] { "linen" }, countries = new[] { "DE" } });
        var foreignId = (await Json(added)).GetProperty("data").GetProperty("competitor").GetProperty("id").GetInt64();
        Assert.Equal("not_found", (await Refused($"competitorId={foreignId}", HttpStatusCode.NotFound)).GetProperty("code").GetString());
        using var own = await other.Api.GetAsync($"/api/creatives/trends?competitorId={foreignId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Competitors_ads_read_from_the_ad_library_show_their_shift()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var state = new FakeMetaState();
        // Six weeks ago the competitor said "learn more" without an offer; in the last three weeks mostly "30% off, shop now".
        for (var i = 0; i < 15; i++)
        {
            state.ArchivedAds.Add(LibraryAd($"95000000000{i:D4}", "Linen shirts for warm days. Learn more.", today.AddDays(-40 - i)));
            state.ArchivedAds.Add(LibraryAd($"96000000000{i:D4}", i < 12 ? "Linen shirts, 30% off this week. Shop now." : "Linen shirts for warm days. Learn more.",
                today.AddDays(-3 - i)));
        }
        await using var meta = await FakeServer.StartAsync(meta: state);
        await using var app = await fixture.StartAppAsync(AppFixture.Sqlite, MetaTestKit.Settings(meta));
        var store = await app.CreateStoreAsync(StoreRole.Marketer);
        await CompetitorsTests.ConnectMetaAsync(app, store.StoreId, state);
        using var added = await store.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "Example Apparel", searchTerms = new[] { "linen" }, countries = new[] { "DE" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var competitorId = (await Json(added)).GetProperty("data").GetProperty("competitor").GetProperty("id").GetInt64();
        await MetaTestKit.WaitForSyncAsync(app, store.StoreId, 1, CompetitorAdsSync.SyncName);
        Assert.Equal(30, await app.WithDbAsync(store.StoreId, db => db.CompetitorAds.CountAsync()));

        var data = (await Json(await store.Api.GetAsync($"/api/creatives/trends?window=30&competitorId={competitorId}"))).GetProperty("data");
        var dimensions = data.GetProperty("dimensions").EnumerateArray().Where(d => d.GetProperty("source").GetString() == "competitors").ToList();
        JsonElement Trend(string dimension, string key) => dimensions.Single(d => d.GetProperty("dimension").GetString() == dimension)
            .GetProperty("trends").EnumerateArray().Single(t => t.GetProperty("key").GetString() == key);

        var percentOff = Trend("offers", "percent_off");
        Assert.Equal("rising", percentOff.GetProperty("direction").GetString());
        Assert.Equal((0, 15), (percentOff.GetProperty("previous").GetProperty("count").GetInt32(), percentOff.GetProperty("previous").GetProperty("total").GetInt32()));
        Assert.Equal((12, 15), (percentOff.GetProperty("recent").GetProperty("count").GetInt32(), percentOff.GetProperty("recent").GetProperty("total").GetInt32()));
        Assert.Equal(80m, percentOff.GetProperty("changePoints").GetDecimal());
        Assert.Equal("% off: 80% of competitors' new ads in the last 30 days (12 of 15), up from 0% (0 of 15) in the 30 days before.",
            percentOff.GetProperty("sentence").GetString());
        Assert.Equal("rising", Trend("calls_to_action", "SHOP_NOW").GetProperty("direction").GetString());
        Assert.Equal("falling", Trend("calls_to_action", "LEARN_MORE").GetProperty("direction").GetString());
        Assert.Equal("rising", Trend("hooks", "offer").GetProperty("direction").GetString());
        // The store itself has no ads: its side has no data to show a trend with.
        Assert.All(data.GetProperty("dimensions").EnumerateArray().Where(d => d.GetProperty("source").GetString() == "store"),
            d => Assert.False(d.GetProperty("enoughData").GetBoolean()));
    }

    private static FakeArchivedAd LibraryAd(string id, string body, DateOnly start) =>
        new(id, "104000000000001", "Example Apparel", [body], ["Linen shirts"], ["DE"], start, null, ["facebook"], ["en"]);

    private static TrendWindow Window(JsonElement window) => new(
        DateOnly.ParseExact(window.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateOnly.ParseExact(window.GetProperty("to").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
