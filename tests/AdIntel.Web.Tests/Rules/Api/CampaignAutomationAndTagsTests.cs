using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>
/// A campaign's own automation setting (off, suggestions only) binds rules, backtests and recommendations but never a
/// person; the tag action stores tags on the entity, shown on its page and in the API, matched by rule filters, undone.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CampaignAutomationAndTagsTests(AppFixture fixture)
{
    private static object PauseLosers(string name = "Pause losers") => new
    {
        name,
        scope = "ad_set",
        expression = "status == 'ACTIVE' and spend_7d > 100 and purchases_7d == 0",
        actions = new object[] { new { type = "pause" } },
        riskLevel = "low",
        automationMode = "auto_all",
        schedule = new { everyMinutes = 60 },
    };

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Automation_off_blocks_rules_and_backtests_suggestions_only_queues_and_a_person_still_acts(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();

        await SetAutomationAsync(store, "off");
        var campaign = await store.GetAsync($"/api/campaigns/{store.CampaignId}");
        Assert.Equal("off", campaign.GetProperty("automation").GetString());

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");
        var loser = run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdSetId);
        Assert.Equal(ActionOutcome.Blocked, loser.GetProperty("actions")[0].GetProperty("result").GetString());
        Assert.Contains("Automation is off for campaign “Prospecting”", loser.GetProperty("actions")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));

        // The backtest applies the same setting: every firing is held back, with the reason.
        var backtest = await store.PostAsync($"/api/rules/{ruleId}/backtest", new { days = 7 });
        var firings = backtest.GetProperty("firings").EnumerateArray().ToList();
        Assert.NotEmpty(firings);
        Assert.All(firings, f => Assert.Contains("Automation is off", f.GetProperty("reason").GetString(), StringComparison.Ordinal));

        // Suggestions only: the store says "automatic", the campaign waits for a person.
        await SetAutomationAsync(store, "suggestions_only");
        var queued = await store.PostAsync($"/api/rules/{ruleId}/run", new { });
        Assert.Equal(1, queued.GetProperty("actionsQueued").GetInt32());
        Assert.Equal(0, queued.GetProperty("actionsExecuted").GetInt32());
        var pending = (await store.GetAsync("/api/actions")).EnumerateArray().Single(a => a.GetProperty("status").GetString() == ActionStatuses.PendingApproval);
        Assert.Contains("Suggestions only for campaign “Prospecting”", pending.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));

        // A person is not bound by it.
        await SetAutomationAsync(store, "off");
        using var paused = await store.Api.PatchAsJsonAsync($"/api/adsets/{store.LoserAdSetId}", new { status = "paused" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal(EntityStatus.Paused, await StatusAsync(app, store, store.LoserAdSetId));
        Assert.Equal(1, await app.WithDbAsync(store.Store.StoreId, db => db.AuditEntries.CountAsync(e => e.Action == "campaign.automation_updated" && e.Summary.Contains("suggestions only"))));
    }

    [Fact]
    public async Task Automation_setting_is_validated_and_scoped_to_the_store()
    {
        var app = fixture.SqliteApp;
        var store = await RuleTestStore.CreateAsync(app);
        var other = await RuleTestStore.CreateAsync(app);

        using var bad = await store.Api.PatchAsJsonAsync($"/api/campaigns/{store.CampaignId}", new { automation = "sometimes" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("inherit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var mixed = await store.Api.PatchAsJsonAsync($"/api/campaigns/{store.CampaignId}", new { automation = "off", status = "paused" });
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        using var foreign = await store.Api.PatchAsJsonAsync($"/api/campaigns/{other.CampaignId}", new { automation = "off" });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("inherit", await app.WithDbAsync(other.Store.StoreId, db => db.Campaigns.Where(c => c.Id == other.CampaignId).Select(c => c.Automation).SingleAsync()));

    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Tag_action_stores_the_tag_shown_on_the_page_matched_by_filters_and_undone(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var tagRule = (await store.CreateRuleAsync(new
        {
            name = "Tag non-converters",
            scope = "ad_set",
            expression = "spend_7d > 100 and purchases_7d == 0",
            actions = new object[] { new { type = "tag", tag = "no-sales" } },
            riskLevel = "low",
            automationMode = "auto_all",
            schedule = new { everyMinutes = 60 },
        })).GetProperty("id").GetInt64();
        // A rule that pauses any ad set tagged "no-sales" (its condition alone would match both).
        var pauseTagged = (await store.CreateRuleAsync(new
        {
            name = "Pause tagged",
            scope = "ad_set",
            expression = "spend_7d > 0",
            filter = new { tags = new[] { "No-Sales" } },
            actions = new object[] { new { type = "pause" } },
            riskLevel = "low",
            automationMode = "auto_all",
            schedule = new { everyMinutes = 60 },
        })).GetProperty("id").GetInt64();

        var before = await store.PostAsync($"/api/rules/{pauseTagged}/test");
        Assert.Equal(0, before.GetProperty("matches").GetArrayLength());

        var run = await store.PostAsync($"/api/rules/{tagRule}/run");
        Assert.Equal(1, run.GetProperty("actionsExecuted").GetInt32());
        var adSets = await store.GetAsync($"/api/campaigns/{store.CampaignId}/adsets");
        var tagged = adSets.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == store.LoserAdSetId);
        Assert.Equal(["no-sales"], tagged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(adSets.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == store.WinnerAdSetId).GetProperty("tags").EnumerateArray());

        var after = await store.PostAsync($"/api/rules/{pauseTagged}/test");
        Assert.Equal(store.LoserAdSetId, after.GetProperty("matches").EnumerateArray().Single().GetProperty("entityId").GetInt64());

        // Undoing the tag action removes the tag it added.
        var tagAction = (await store.GetAsync("/api/actions")).EnumerateArray().Single(a => a.GetProperty("type").GetString() == "tag");
        await store.PostAsync($"/api/actions/{tagAction.GetProperty("id").GetInt64()}/undo");
        Assert.Equal(0, await app.WithDbAsync(store.Store.StoreId, db => db.EntityTags.CountAsync()));
        Assert.Equal(0, (await store.PostAsync($"/api/rules/{pauseTagged}/test")).GetProperty("matches").GetArrayLength());

        using var badFilter = await store.Api.PostAsJsonAsync("/api/rules", new
        {
            name = "Bad tags",
            scope = "ad_set",
            expression = "spend_7d > 0",
            filter = new { tags = new[] { new string('x', 51) } },
            actions = new object[] { new { type = "notify" } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFilter.StatusCode);
    }

    private static async Task SetAutomationAsync(RuleTestStore store, string setting)
    {
        using var response = await store.Api.PatchAsJsonAsync($"/api/campaigns/{store.CampaignId}", new { automation = setting });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal(setting, JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("automation").GetString());
    }

    private static Task<string> StatusAsync(AdIntelApp app, RuleTestStore store, long adSetId) =>
        app.WithDbAsync(store.Store.StoreId, db => db.AdSets.Where(a => a.Id == adSetId).Select(a => a.Status).SingleAsync());
}

/// <summary>The campaign page: a marketer sets the campaign's automation; tags show on the entity's page and in its rows.</summary>
[Collection(LocalAppCollection.Name)]
public sealed class CampaignAutomationPageTests(AppFixture fixture)
{
    [Fact]
    public async Task A_marketer_sets_automation_on_the_campaign_page_and_sees_the_tags_a_viewer_cannot_change_it()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var (store, winners, _, _) = await Brain.Recommendations.WinnersAndLosers.CreateAsync(local.App);
        var marketer = await local.CreateMemberAsync(store.StoreId, StoreRole.Marketer);
        var viewer = await local.CreateMemberAsync(store.StoreId, StoreRole.Viewer);
        await local.App.WithDbAsync(store.StoreId, async db =>
        {
            db.EntityTags.Add(new EntityTag { EntityScope = "ad_set", EntityId = winners, Tag = "winner", CreatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
            return 0;
        });
        var browser = await local.SignInAsync(marketer.Email);

        var campaignPage = await browser.Client.GetStringAsync($"/campaigns/{store.CampaignId}");
        Assert.Contains("name=\"automationSetting\"", campaignPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"row-tag\">winner</span>", campaignPage, StringComparison.Ordinal);
        var adSetPage = await browser.Client.GetStringAsync($"/campaigns/{store.CampaignId}/adsets/{winners}");
        Assert.Contains("data-testid=\"tag\">winner</span>", adSetPage, StringComparison.Ordinal);

        using var saved = await browser.PostHtmxAsync($"/campaigns/{store.CampaignId}?handler=Automation", ("automationSetting", "off"));
        var fragment = await saved.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Automation for this campaign: off: rules and recommendations leave it alone", fragment, StringComparison.Ordinal);
        Assert.Equal("off", await local.App.WithDbAsync(store.StoreId, db => db.Campaigns.Where(c => c.Id == store.CampaignId).Select(c => c.Automation).SingleAsync()));
        using var bogus = await browser.PostHtmxAsync($"/campaigns/{store.CampaignId}?handler=Automation", ("automationSetting", "maybe"));
        Assert.Contains("Choose one of the automation settings", await bogus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("off", await local.App.WithDbAsync(store.StoreId, db => db.Campaigns.Where(c => c.Id == store.CampaignId).Select(c => c.Automation).SingleAsync()));

        var viewing = await local.SignInAsync(viewer.Email);
        var viewerPage = await viewing.Client.GetStringAsync($"/campaigns/{store.CampaignId}");
        Assert.DoesNotContain("name=\"automationSetting\"", viewerPage, StringComparison.Ordinal);
        Assert.Contains("Automation for this campaign: off", viewerPage, StringComparison.Ordinal);
        using var refused = await viewing.PostHtmxAsync($"/campaigns/{store.CampaignId}?handler=Automation", ("automationSetting", "inherit"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
