using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations;
using AdIntel.Web.Tests.Security;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>
/// A store owner connects the fake Meta through the real Facebook Login flow, chooses the ad account, and the sync
/// (a Hangfire job) copies exactly what the fake holds, under injected faults too; Meta's restated days are synced
/// again; rule actions reach Meta exactly once, even when Meta's answer to an update is lost.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class MetaConnectAndSyncTests(AppFixture fixture)
{
    private const string AccountId = "100200300";

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Owner_connects_meta_and_the_sync_holds_exactly_the_fakes_numbers_under_faults(string provider)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(today, days: 45));
        meta.Meta.Faults.Rate = 0.2;
        await using var local = await fixture.StartLocalAsync(provider, MetaTestKit.Settings(meta));
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);

        await MetaTestKit.ConnectAsync(browser, meta);
        var page = await browser.Client.GetStringAsync("/settings/integrations");
        Assert.Contains("Outfitters — US", page);
        Assert.Contains("Choose an ad account", page);
        using var choose = await browser.PostFormAsync("/integrations/meta/account", ("accountId", AccountId));
        Assert.Equal(HttpStatusCode.Redirect, choose.StatusCode);
        var firstRun = await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1);
        // The pixel's dataset is read after the ads in the same job; "Sync now" is offered once both are done.
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1, DatasetQualitySync.SyncName);

        Assert.Equal(("backfill", RunStatuses.Succeeded), (firstRun.Kind, firstRun.Status));
        await AssertSameAsFakeAsync(local.App, storeId, meta.Meta);
        var connection = await local.App.WithDbAsync(storeId, db => db.IntegrationConnections.AsNoTracking().SingleAsync());
        Assert.Equal(("act_" + AccountId, IntegrationStatuses.Connected), (connection.ExternalAccountId, connection.Status));
        var token = await local.App.WithDbAsync(storeId, db => Task.FromResult(
            local.App.Services.GetRequiredService<IntegrationTokenProtector>().Unprotect(connection.EncryptedAccessToken)));
        Assert.True(meta.Meta.Tokens.ContainsKey(token!), "the stored token decrypts to the one Meta issued");
        Assert.DoesNotContain(token!, connection.EncryptedAccessToken, StringComparison.Ordinal);

        // Meta restates conversions: a day inside the last 28 changes, and the next sync ("sync now") picks it up.
        var restated = meta.Meta.Insights.First(i => i.Date == today.AddDays(-5));
        meta.Meta.Insights[meta.Meta.Insights.IndexOf(restated)] = restated with { Purchases = restated.Purchases + 3, PurchaseValue = restated.PurchaseValue + 150m };
        using var syncNow = await browser.PostHtmxAsync("/settings/integrations?handler=Sync", ("provider", "meta"));
        Assert.Equal(HttpStatusCode.OK, syncNow.StatusCode);
        Assert.Contains("Sync queued", await syncNow.Content.ReadAsStringAsync());
        var secondRun = await MetaTestKit.WaitForSyncAsync(local.App, storeId, 2);
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 2, DatasetQualitySync.SyncName);

        Assert.Equal(("incremental", RunStatuses.Succeeded), (secondRun.Kind, secondRun.Status));
        await AssertSameAsFakeAsync(local.App, storeId, meta.Meta);
        // The same job goes on with the connection's other syncs (creatives, competitors); the card shows their progress
        // until they end too, then the last sync's line.
        var card = "";
        await Eventually.HoldsAsync(async () =>
        {
            card = await browser.Client.GetStringAsync("/settings/integrations");
            return card.Contains("Last sync (incremental) finished", StringComparison.Ordinal);
        }, "The Meta card never said \"Last sync (incremental) finished\"", TimeSpan.FromSeconds(60), () => card);
    }

    [Fact]
    public async Task A_rule_action_reaches_meta_exactly_once_even_when_its_answer_is_lost()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(today, days: 20));
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, MetaTestKit.Settings(meta));
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        await MetaTestKit.ConnectAsync(browser, meta);
        using (await browser.PostFormAsync("/integrations/meta/account", ("accountId", AccountId)))
        {
        }
        await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1);
        var api = await local.CreateTokenClientAsync(storeId, StoreRole.Owner);
        using (var automation = await api.PutAsJsonAsync("/api/settings/automation", new
        {
            automationMode = "auto_all", killSwitch = false, maxBudgetChangePercentPerDay = 20, cooldownHours = 24, maxActionsPerRun = 10, maxActionsPerDay = 30,
            minSpend = 1, minImpressions = 1, minPurchasesForScaleUp = 0, trackingBreakerEnabled = false, trackingDropPercent = 50,
        }))
        {
            Assert.True(automation.IsSuccessStatusCode, await automation.Content.ReadAsStringAsync());
        }
        var target = meta.Meta.Objects.Single(o => o.Name == "Prospecting | Broad | Ad set 2");
        using var created = await api.PostAsJsonAsync("/api/rules", new
        {
            name = "Pause one ad set", scope = "ad_set", expression = "spend_7d > 0", filter = new { nameContains = "Prospecting | Broad | Ad set 2" },
            actions = new object[] { new { type = "pause" } }, riskLevel = "low", automationMode = "auto_all",
        });
        var ruleId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("id").GetInt64();

        meta.Meta.Faults.LoseNextWriteAnswers = 1;
        using var run = await api.PostAsync($"/api/rules/{ruleId}/run", null);
        using var retry = await api.PostAsync($"/api/rules/{ruleId}/run", null);

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var update = Assert.Single(meta.Meta.Updates);
        Assert.Equal((target.Id, "PAUSED", (long?)null), (update.ObjectId, update.Status, update.DailyBudgetMinor));
        Assert.Equal("PAUSED", target.Status);
        var (action, adSet) = await local.App.WithDbAsync(storeId, async db =>
            (await db.ActionRecords.AsNoTracking().SingleAsync(), await db.AdSets.AsNoTracking().SingleAsync(s => s.ExternalId == target.Id)));
        Assert.Equal((ActionStatuses.Executed, EntityStatus.Paused), (action.Status, adSet.Status));

        // Undo sets it back on Meta, once.
        using var undo = await api.PostAsync($"/api/actions/{action.Id}/undo", null);
        Assert.True(undo.IsSuccessStatusCode, await undo.Content.ReadAsStringAsync());
        Assert.Equal(2, meta.Meta.Updates.Count);
        Assert.Equal("ACTIVE", target.Status);
    }

    [Fact]
    public async Task A_forged_or_stale_callback_stores_nothing()
    {
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(DateOnly.FromDateTime(DateTime.UtcNow), days: 2));
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, MetaTestKit.Settings(meta));
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);

        using var noTicket = await browser.GetAsync("/integrations/meta/callback?code=abc&state=forged");
        var dialog = await MetaTestKit.StartConnectAsync(browser);
        var callback = await MetaTestKit.ConsentAsync(dialog);
        using var wrongState = await browser.GetAsync(callback.Replace("state=", "state=x", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, noTicket.StatusCode);
        Assert.Contains("did not match a connection started here", await noTicket.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, wrongState.StatusCode);
        Assert.Empty(await local.App.WithDbAsync(storeId, db => db.IntegrationConnections.ToListAsync()));
    }

    /// <summary>Every ad-day the fake holds is stored once, with the one purchase action type counted (the fake repeats purchases under three).</summary>
    private static async Task AssertSameAsFakeAsync(AdIntelApp app, long storeId, FakeMetaState fake)
    {
        var stored = await app.WithDbAsync(storeId, db => (from i in db.AdInsights
                                                           join a in db.Ads on i.AdId equals a.Id
                                                           select new { a.ExternalId, i.Date, i.Spend, i.Impressions, i.Purchases, i.PurchaseValue }).ToListAsync());
        var expected = fake.Insights.Select(i => $"{i.AdId}|{i.Date:yyyy-MM-dd}|{i.Spend.ToString("0.00", CultureInfo.InvariantCulture)}|{i.Impressions}|{i.Purchases}|{i.PurchaseValue.ToString("0.00", CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
        var actual = stored.Select(i => $"{i.ExternalId}|{i.Date:yyyy-MM-dd}|{i.Spend.ToString("0.00", CultureInfo.InvariantCulture)}|{i.Impressions}|{i.Purchases.ToString("0", CultureInfo.InvariantCulture)}|{i.PurchaseValue.ToString("0.00", CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        var structure = await app.WithDbAsync(storeId, async db => (await db.Campaigns.CountAsync(), await db.AdSets.CountAsync(), await db.Ads.CountAsync()));
        Assert.Equal((3, 6, 12), structure);
        var budget = await app.WithDbAsync(storeId, db => db.AdSets.Where(s => s.Name == "Prospecting | Broad | Ad set 2").Select(s => s.DailyBudget).SingleAsync());
        Assert.Equal(100m, budget);
        var facts = await app.WithDbAsync(storeId, db => db.DailyFacts.SumAsync(f => f.AdSpend));
        Assert.Equal(fake.Insights.Sum(i => i.Spend), facts);
    }
}
