using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Pages.Creatives;
using AdIntel.Web.Tests.Integrations.Meta;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// Watching competitors in Meta's Ad Library: adding one reads its ads from the fake Graph API through the real client
/// and sync (every page, throttled answers waited out), a throttle that outlasts the retries leaves the competitor due
/// for the next sync, bad input is refused field by field, another store's competitor does not exist, and a store
/// without a Meta connection is told so instead of getting a sync.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CompetitorsTests(AppFixture fixture)
{
    [Fact]
    public async Task A_new_competitors_ads_are_read_across_pages_and_a_throttled_search_is_retried_or_deferred()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var state = new FakeMetaState();
        // 60 running ads of the competitor matching "linen shirt" in Germany, 4 stopped ones, 3 shown only in the US,
        // and another advertiser's ads.
        for (var i = 0; i < 60; i++)
        {
            state.ArchivedAds.Add(Ad($"91000000000{i:D4}", "104000000000001", "Example Apparel", $"Linen shirts for warm days, style {i}.", ["DE"], today.AddDays(-i), null));
        }
        for (var i = 0; i < 4; i++)
        {
            state.ArchivedAds.Add(Ad($"92000000000{i:D4}", "104000000000001", "Example Apparel", "Linen shirt clearance.", ["FR"], today.AddDays(-40), today.AddDays(-10)));
        }
        for (var i = 0; i < 3; i++)
        {
            state.ArchivedAds.Add(Ad($"93000000000{i:D4}", "104000000000001", "Example Apparel", "Linen shirt, US only.", ["US"], today.AddDays(-5), null));
        }
        for (var i = 0; i < 5; i++)
        {
            state.ArchivedAds.Add(Ad($"94000000000{i:D4}", "105000000000002", "Other Shoes", "Running shoes for every day.", ["DE"], today.AddDays(-3), null, "Shoes – 20% off"));
        }
        await using var meta = await FakeServer.StartAsync(meta: state);
        var settings = new Dictionary<string, string?>(MetaTestKit.Settings(meta)) { ["Meta:PageSize"] = "25" };
        await using var app = await fixture.StartAppAsync(AppFixture.Sqlite, settings);
        var store = await app.CreateStoreAsync(StoreRole.Marketer);
        await ConnectMetaAsync(app, store.StoreId, state);

        lock (state)
        {
            state.ThrottleNextAdLibraryCalls = 2;
        }
        using var added = await store.Api.PostAsJsonAsync("/api/creatives/competitors",
            new { name = "Example Apparel", searchTerms = new[] { "linen shirt" }, countries = new[] { "de", "FR" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var addedData = (await Json(added)).GetProperty("data");
        Assert.Equal("queued", addedData.GetProperty("sync").GetProperty("status").GetString());
        var competitorId = addedData.GetProperty("competitor").GetProperty("id").GetInt64();
        Assert.Equal(["DE", "FR"], addedData.GetProperty("competitor").GetProperty("countries").EnumerateArray().Select(c => c.GetString()!).ToArray());

        var run = await MetaTestKit.WaitForSyncAsync(app, store.StoreId, 1, CompetitorAdsSync.SyncName);
        Assert.Equal(RunStatuses.Succeeded, run.Status);
        List<Dictionary<string, string>> calls;
        lock (state)
        {
            calls = [.. state.AdLibraryCalls];
        }
        // Two throttled answers retried, then three pages of 25 (the running ads in DE or FR; the 90-day window).
        Assert.Equal(5, calls.Count);
        Assert.Equal(2, calls.Count(c => c.ContainsKey("after")));
        Assert.All(calls, c => Assert.Equal(("linen shirt", "[\"DE\",\"FR\"]", "ACTIVE"), (c["search_terms"], c["ad_reached_countries"], c["ad_active_status"])));

        using var page1 = await store.Api.GetAsync($"/api/creatives/competitors/{competitorId}/ads");
        var body1 = await Json(page1);
        var ads = body1.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(CompetitorsEndpoints.AdsPageSize, ads.Count);
        var next = body1.GetProperty("page").GetProperty("next").GetString();
        var body2 = await Json(await store.Api.GetAsync($"/api/creatives/competitors/{competitorId}/ads?cursor={next}"));
        ads.AddRange(body2.GetProperty("data").EnumerateArray());
        Assert.Null(body2.GetProperty("page").GetProperty("next").GetString());
        var expected = state.ArchivedAds.Where(a => a.Id.StartsWith("91", StringComparison.Ordinal)).Select(a => a.Id).Order().ToList();
        Assert.Equal(expected, ads.Select(a => a.GetProperty("archiveId").GetString()!).Order().ToList());
        var one = ads.Single(a => a.GetProperty("archiveId").GetString() == "910000000000007");
        Assert.Equal("Example Apparel", one.GetProperty("pageName").GetString());
        Assert.Equal("Linen shirts for warm days, style 7.", one.GetProperty("bodies")[0].GetString());
        Assert.Equal("Linen shirts – 30% off", one.GetProperty("linkTitles")[0].GetString());
        Assert.Equal(today.AddDays(-7).ToString("yyyy-MM-dd"), one.GetProperty("deliveryStart").GetString());
        Assert.True(one.GetProperty("active").GetBoolean());
        Assert.Equal(["facebook", "instagram"], one.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()!).ToArray());
        // The snapshot URL keeps the ad's id but never the token Meta puts in it.
        Assert.Equal("https://www.facebook.com/ads/archive/render_ad/?id=910000000000007", one.GetProperty("snapshotUrl").GetString());
        Assert.DoesNotContain(ads, a => a.GetProperty("snapshotUrl").GetString()!.Contains("access_token", StringComparison.Ordinal));

        // A second competitor by Page id while Meta throttles longer than the client retries: the run fails saying so,
        // the competitor stays due and is read by the next sync; the first, read today, is not searched again.
        lock (state)
        {
            state.ThrottleNextAdLibraryCalls = 1000;
        }
        using var second = await store.Api.PostAsJsonAsync("/api/creatives/competitors",
            new { name = "Other Shoes", pageIds = new[] { "105000000000002" }, countries = new[] { "ALL" } });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var secondId = (await Json(second)).GetProperty("data").GetProperty("competitor").GetProperty("id").GetInt64();
        var throttled = await MetaTestKit.WaitForSyncAsync(app, store.StoreId, 2, CompetitorAdsSync.SyncName);
        Assert.Equal(RunStatuses.Failed, throttled.Status);
        Assert.Contains("rate-limiting", throttled.Error, StringComparison.Ordinal);
        Assert.Null(await app.WithDbAsync(store.StoreId, db => db.Competitors.Where(c => c.Id == secondId).Select(c => c.LastSyncedAtUtc).SingleAsync()));

        int callsBefore;
        lock (state)
        {
            state.ThrottleNextAdLibraryCalls = 0;
            callsBefore = state.AdLibraryCalls.Count;
        }
        app.Services.GetRequiredService<IntegrationSchedules>().RunNow(store.StoreId, CompetitorAdsSync.SyncName);
        await Eventually.HoldsAsync(async () => await app.WithDbAsync(store.StoreId, db => db.CompetitorAds.CountAsync(a => a.CompetitorId == secondId)) == 5,
            "The deferred competitor's ads did not arrive", TimeSpan.FromSeconds(90));
        lock (state)
        {
            Assert.DoesNotContain(state.AdLibraryCalls.Skip(callsBefore), c => c.ContainsKey("search_terms"));
            Assert.Contains(state.AdLibraryCalls.Skip(callsBefore), c => c.GetValueOrDefault("search_page_ids") == "[\"105000000000002\"]");
        }

        var list = (await Json(await store.Api.GetAsync("/api/creatives/competitors"))).GetProperty("data").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("ads").GetInt32())).ToList();
        Assert.Equal([("Example Apparel", 60), ("Other Shoes", 5)], list);
    }

    [Fact]
    public async Task Bad_competitors_are_refused_field_by_field()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);
        async Task<JsonElement> Refused(object body)
        {
            using var response = await store.Api.PostAsJsonAsync("/api/creatives/competitors", body);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var error = (await Json(response)).GetProperty("error");
            Assert.Equal("invalid_competitor", error.GetProperty("code").GetString());
            return error.GetProperty("details");
        }

        var details = await Refused(new { name = " ", countries = Array.Empty<string>() });
        Assert.Equal("A name is required.", details.GetProperty("name").GetString());
        Assert.Equal("Give at least one search term or Facebook Page id.", details.GetProperty("searchTerms").GetString());
        Assert.Contains("ISO codes", details.GetProperty("countries").GetString(), StringComparison.Ordinal);
        Assert.Equal("Not ISO 3166-1 country codes: XX, GER.",
            (await Refused(new { name = "A", searchTerms = new[] { "linen" }, countries = new[] { "DE", "xx", "GER" } })).GetProperty("countries").GetString());
        Assert.Contains("ALL stands alone",
            (await Refused(new { name = "A", searchTerms = new[] { "linen" }, countries = new[] { "ALL", "DE" } })).GetProperty("countries").GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 10 Page ids",
            (await Refused(new { name = "A", pageIds = Enumerable.Range(1, 11).Select(i => "1000" + i).ToArray(), countries = new[] { "DE" } })).GetProperty("pageIds").GetString(), StringComparison.Ordinal);
        Assert.Contains("is not a Facebook Page id",
            (await Refused(new { name = "A", pageIds = new[] { "example-apparel" }, countries = new[] { "DE" } })).GetProperty("pageIds").GetString(), StringComparison.Ordinal);
        Assert.Contains("limited to 100 characters",
            (await Refused(new { name = "A", searchTerms = new[] { new string('x', 101) }, countries = new[] { "DE" } })).GetProperty("searchTerms").GetString(), StringComparison.Ordinal);
        Assert.Equal("adStatus is one of ACTIVE, INACTIVE, ALL.",
            (await Refused(new { name = "A", searchTerms = new[] { "linen" }, countries = new[] { "DE" }, adStatus = "RUNNING" })).GetProperty("adStatus").GetString());

        using var noBody = await store.Api.PostAsync("/api/creatives/competitors", JsonContent.Create<object?>(null));
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal("bad_request", (await Json(noBody)).GetProperty("error").GetProperty("code").GetString());

        using var first = await store.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "Example Apparel", searchTerms = new[] { "linen" }, countries = new[] { "DE" } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await store.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "Example Apparel", searchTerms = new[] { "shirts" }, countries = new[] { "DE" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var viewer = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);
        using var forbidden = await viewer.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "B", searchTerms = new[] { "linen" }, countries = new[] { "DE" } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_store_without_meta_is_told_to_connect_and_another_stores_competitor_is_not_found()
    {
        var app = fixture.SqliteApp;
        var csvStore = await app.CreateStoreAsync(StoreRole.Owner);
        var other = await app.CreateStoreAsync(StoreRole.Owner);
        using var added = await csvStore.Api.PostAsJsonAsync("/api/creatives/competitors", new { name = "Example Apparel", searchTerms = new[] { "linen" }, countries = new[] { "DE" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var data = (await Json(added)).GetProperty("data");
        Assert.Equal("not_connected", data.GetProperty("sync").GetProperty("status").GetString());
        Assert.Equal(CompetitorsEndpoints.NotConnectedMessage, data.GetProperty("sync").GetProperty("message").GetString());
        var id = data.GetProperty("competitor").GetProperty("id").GetInt64();
        Assert.False(await app.WithDbAsync(csvStore.StoreId, db => db.SyncRuns.AnyAsync()));

        using var own = await csvStore.Api.GetAsync($"/api/creatives/competitors/{id}/ads");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Empty((await Json(own)).GetProperty("data").EnumerateArray());

        using var foreign = await other.Api.GetAsync($"/api/creatives/competitors/{id}/ads");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("not_found", (await Json(foreign)).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty((await Json(await other.Api.GetAsync("/api/creatives/competitors"))).GetProperty("data").EnumerateArray());
        using var badCursor = await csvStore.Api.GetAsync($"/api/creatives/competitors/{id}/ads?cursor=abc");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    private static FakeArchivedAd Ad(string id, string pageId, string pageName, string body, string[] countries, DateOnly start, DateOnly? stop,
        string title = "Linen shirts – 30% off") =>
        new(id, pageId, pageName, [body], [title], countries, start, stop, ["facebook", "instagram"], ["en"]);

    /// <summary>A Meta connection as the OAuth flow leaves it, with a token the fake issued.</summary>
    internal static async Task ConnectMetaAsync(AdIntelApp app, long storeId, FakeMetaState state)
    {
        string token;
        lock (state)
        {
            token = state.IssueToken(TimeSpan.FromDays(60), DateTimeOffset.UtcNow);
        }
        await app.WithDbAsync(storeId, async db =>
        {
            db.IntegrationConnections.Add(new IntegrationConnection
            {
                Provider = IntegrationProviders.Meta, ExternalAccountId = "act_100200300", ConnectedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
                EncryptedAccessToken = app.Services.GetRequiredService<IntegrationTokenProtector>().Protect(token),
            });
            await db.SaveChangesAsync();
        });
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
