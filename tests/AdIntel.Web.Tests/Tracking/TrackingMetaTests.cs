using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Integrations.Meta;
using AdIntel.Web.Tests.Security;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Tracking;
using AdIntel.Web.Integrations.Meta.Capi;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Tracking;

/// <summary>
/// A store connected to the fake Graph API: the dataset-quality sync reads the pixel through the real client, the API
/// reports it, scenarios set on the fake show up as diagnoses and tracking alerts that resolve when the fake heals, and a
/// test event reaches the fake with hashed user data and the test event code.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class TrackingMetaTests(AppFixture fixture)
{
    private const string AccountId = "100200300";

    [Fact]
    public async Task The_pixel_is_synced_diagnosed_alerted_and_verified_through_the_fake_graph_api()
    {
        var utcToday = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(utcToday, days: 40));
        var dataset = meta.Meta.Datasets.Single();
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, MetaTestKit.Settings(meta));
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        var api = await local.CreateTokenClientAsync(storeId, StoreRole.Owner);

        using (var before = await api.GetAsync("/api/tracking/health"))
        {
            var data = (await Json(before)).GetProperty("data");
            Assert.Contains("Connect Meta", data.GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.Equal("unknown", data.GetProperty("pixel").GetProperty("status").GetString());
        }

        await MetaTestKit.ConnectAsync(browser, meta);
        using (await browser.PostFormAsync("/integrations/meta/account", ("accountId", AccountId)))
        {
        }
        var run = await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1, DatasetQualitySync.SyncName);
        Assert.Equal(RunStatuses.Succeeded, run.Status);

        // Stored exactly as the fake serves it, through the real client (appsecret_proof enforced by the fake).
        var (stored, days) = await local.App.WithDbAsync(storeId, async db =>
            (await db.TrackingDatasets.AsNoTracking().SingleAsync(), await db.TrackingEventDays.AsNoTracking().OrderBy(d => d.Date).ToListAsync()));
        Assert.Equal(("880000000000001", "Outfitters Pixel", 7.8m, 97m, 98m), (stored.DatasetId, stored.Name, stored.MatchQuality, stored.BrowserEventIdPercent, stored.ServerEventIdPercent));
        var expected = dataset.Days.Where(d => d.Key.EventName == "Purchase" && d.Key.Date > utcToday.AddDays(-DatasetQualitySync.StatsDays) && d.Value.Browser + d.Value.Server > 0)
            .OrderBy(d => d.Key.Date).Select(d => (d.Key.Date, d.Value.Browser, d.Value.Server)).ToList();
        Assert.Equal(expected, days.Select(d => (d.Date, d.BrowserCount, d.ServerCount)).ToList());

        var health = (await Json(await api.GetAsync("/api/tracking/health"))).GetProperty("data");
        Assert.Null(health.GetProperty("note").GetString());
        Assert.Equal("active", health.GetProperty("pixel").GetProperty("status").GetString());
        Assert.Equal("active", health.GetProperty("conversionsApi").GetProperty("status").GetString());
        Assert.Equal(0.97m, health.GetProperty("deduplication").GetProperty("eventIdShare").GetDecimal());
        Assert.Equal(7.8m, health.GetProperty("matchQuality").GetProperty("score").GetDecimal());
        var healthy = (await Json(await api.GetAsync("/api/tracking/diagnose"))).GetProperty("data").GetProperty("problems");
        Assert.DoesNotContain(healthy.EnumerateArray(), p => p.GetProperty("current").GetBoolean());

        // Meta's side breaks: the Conversions API stops sending purchases, and customer information gets poor.
        var stoppedOn = utcToday.AddDays(-4);
        dataset.ServerPurchasesMissingSince(stoppedOn);
        dataset.LowMatchQuality(4.1m, "phone", "external_id");
        await SyncNowAsync(browser);
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 2, DatasetQualitySync.SyncName);

        var problems = (await Json(await api.GetAsync("/api/tracking/diagnose"))).GetProperty("data").GetProperty("problems").EnumerateArray().ToList();
        var missing = problems.Single(p => p.GetProperty("code").GetString() == "server_purchases_missing");
        Assert.Equal($"Server purchases missing since {stoppedOn:MMM d}", missing.GetProperty("title").GetString());
        Assert.Equal(stoppedOn.ToString("yyyy-MM-dd"), missing.GetProperty("since").GetString());
        Assert.Equal("EMQ 4.1: add phone and external_id", problems.Single(p => p.GetProperty("code").GetString() == "low_match_quality").GetProperty("title").GetString());
        var recommendations = (await Json(await api.GetAsync("/api/tracking/recommendations"))).GetProperty("data").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("server_purchases_missing", recommendations);
        var alerts = await TrackingAlertsAsync(local.App, storeId);
        Assert.Equal(["tracking:low_match_quality", "tracking:server_purchases_missing"], alerts.Where(a => a.ActiveKey != null).Select(a => a.ConditionKey).Order());
        var page = await browser.Client.GetStringAsync("/tracking");
        Assert.Contains($"Server purchases missing since {stoppedOn:MMM d}", page, StringComparison.Ordinal);

        // A test Purchase reaches the fake's Test events with the code and Meta's hashes, and is not counted.
        var countedBefore = dataset.Days.Sum(d => d.Value.Server);
        using (var bad = await api.PostAsJsonAsync("/api/tracking/verify-events", new { testEventCode = "not a code!" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalid_test_event_code", (await Json(bad)).GetProperty("error").GetProperty("code").GetString());
        }
        using var verify = await api.PostAsJsonAsync("/api/tracking/verify-events", new { testEventCode = "TEST12345" });
        var verified = (await Json(verify)).GetProperty("data");
        Assert.True(verified.GetProperty("accepted").GetBoolean(), verified.ToString());
        Assert.Equal(1, verified.GetProperty("meta").GetProperty("eventsReceived").GetInt32());
        var (code, sent) = Assert.Single(dataset.TestEvents);
        Assert.Equal("TEST12345", code);
        Assert.Equal("8830eedd6c6b5ea97d181563a349476ca1bb25ace1f94b5c5e48d9cad727941b", sent["user_data"]!["em"]![0]!.GetValue<string>());
        Assert.Equal("e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", sent["user_data"]!["ph"]![0]!.GetValue<string>());
        Assert.Equal(verified.GetProperty("eventId").GetString(), sent["event_id"]!.GetValue<string>());
        Assert.Equal(countedBefore, dataset.Days.Sum(d => d.Value.Server));
        // The code is kept: the page's form sends the next test without one.
        using var again = await browser.PostHtmxAsync("/tracking?handler=TestEvent", ("TestEventCode", ""));
        Assert.Contains("Meta received 1 event", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, dataset.TestEvents.Count(t => t.TestEventCode == "TEST12345"));

        // Meta's side heals: the next sync resolves both alerts.
        foreach (var ((date, name), counts) in dataset.Days.Where(d => d.Key.EventName == "Purchase"))
        {
            counts.Server = counts.Browser;
        }
        dataset.MatchQuality = 7.8m;
        await SyncNowAsync(browser);
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 3, DatasetQualitySync.SyncName);
        alerts = await TrackingAlertsAsync(local.App, storeId);
        Assert.All(alerts, a => Assert.Equal((AlertStatuses.Resolved, (string?)null), (a.Status, a.ActiveKey)));
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public async Task A_refused_test_event_returns_metas_error()
    {
        var utcToday = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(utcToday, days: 10));
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, MetaTestKit.Settings(meta));
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        var api = await local.CreateTokenClientAsync(storeId, StoreRole.Owner);
        using (var unconnected = await api.PostAsJsonAsync("/api/tracking/verify-events", new { testEventCode = "TEST1" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, unconnected.StatusCode);
            Assert.Equal("meta_not_connected", (await Json(unconnected)).GetProperty("error").GetProperty("code").GetString());
        }
        await MetaTestKit.ConnectAsync(browser, meta);
        using (await browser.PostFormAsync("/integrations/meta/account", ("accountId", AccountId)))
        {
        }
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1, DatasetQualitySync.SyncName);
        using (var noCode = await api.PostAsJsonAsync("/api/tracking/verify-events", new { }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noCode.StatusCode);
        }

        // The customer's e-mail cannot be normalised: refused here, nothing sent.
        using var invalid = await api.PostAsJsonAsync("/api/tracking/verify-events", new { testEventCode = "TEST1", customer = new { email = "nobody" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Empty(meta.Meta.Datasets.Single().TestEvents);

        // Meta refuses the dataset (deleted meanwhile): its error comes back as it said it.
        meta.Meta.Datasets.Clear();
        using var refused = await api.PostAsJsonAsync("/api/tracking/verify-events", new { testEventCode = "TEST1" });
        var data = (await Json(refused)).GetProperty("data");
        Assert.False(data.GetProperty("accepted").GetBoolean());
        Assert.Equal(100, data.GetProperty("meta").GetProperty("error").GetProperty("code").GetInt32());
    }

    private static async Task SyncNowAsync(Browser browser)
    {
        using var syncNow = await browser.PostHtmxAsync("/settings/integrations?handler=Sync", ("provider", "meta"));
        Assert.Equal(HttpStatusCode.OK, syncNow.StatusCode);
    }

    private static Task<List<Alert>> TrackingAlertsAsync(AdIntelApp app, long storeId) =>
        app.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().Where(a => a.Source == AlertSources.Tracking).ToListAsync());

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using var _ = response;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
