using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Snapshots;
using AdIntel.Web.Tests.Rules.Plugins;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>
/// Rules decided by a plugin or by a trusted C# script run through the same rails, log and approvals as expression
/// rules; scripts are owner-only and off unless the install turns them on; a platform that refuses a change leaves the
/// entity as it was and the action failed, with the platform's reason.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RuleKindsTests(AppFixture fixture)
{
    [Fact]
    public async Task Plugin_rule_acts_on_the_plugins_proposals_through_the_rails_and_says_why()
    {
        using var plugins = new PluginFolders(PluginFolders.CreativeFatigue, PluginFolders.LearningPhaseGuard);
        await using var app = await StartAsync(plugins, scripts: false);
        var store = await RuleTestStore.CreateAsync(app);
        var tiredAdId = await AddFatiguedAdAsync(app, store);
        await store.SetAutomationAsync();

        var rule = await store.CreateRuleAsync(new
        {
            name = "Creative fatigue",
            kind = "plugin",
            pluginId = "adintel.creative-fatigue",
            parameters = new Dictionary<string, double> { ["pause"] = 1 },
            scope = "ad",
            riskLevel = "low",
            automationMode = "auto_all",
        });
        var ruleId = rule.GetProperty("id").GetInt64();
        Assert.Equal("plugin", rule.GetProperty("kind").GetString());
        Assert.Equal(1, rule.GetProperty("parameters").GetProperty("pause").GetDouble());

        var test = await store.PostAsync($"/api/rules/{ruleId}/test");
        var match = Assert.Single(test.GetProperty("matches").EnumerateArray());
        Assert.Equal(tiredAdId, match.GetProperty("entityId").GetInt64());
        Assert.Contains("CTR 2.00% in its first 7 days vs 1.20% in the last 7", match.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["pause", "notify"], match.GetProperty("proposedActions").EnumerateArray().Select(a => a.GetProperty("type").GetString()));

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("evaluated").GetInt32());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        Assert.Equal(2, run.GetProperty("actionsExecuted").GetInt32());
        var young = run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdId);
        Assert.Contains("too young", young.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var actions = await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.All(actions, a => Assert.Equal(("plugin", ruleId, tiredAdId, "executed"), (a.Source, a.RuleId!.Value, a.EntityId, a.Status)));
        Assert.Equal(["pause", "notify"], actions.Select(a => a.Type));
        var (status, alert) = await app.WithDbAsync(store.Store.StoreId, async db =>
            ((await db.Ads.SingleAsync(a => a.Id == tiredAdId)).Status, await db.Alerts.SingleAsync()));
        Assert.Equal(EntityStatus.Paused, status);
        Assert.StartsWith("Creative fatigue on Tired carousel", alert.Message, StringComparison.Ordinal);

        // A retried run of the same slot never acts twice.
        var retry = await store.PostAsync($"/api/rules/{ruleId}/run");
        Assert.Equal(0, retry.GetProperty("actionsExecuted").GetInt32());
        Assert.Equal(2, await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.CountAsync()));
    }

    [Fact]
    public async Task Plugin_rule_with_an_unknown_plugin_or_parameter_is_422_naming_it()
    {
        using var plugins = new PluginFolders(PluginFolders.CreativeFatigue);
        await using var app = await StartAsync(plugins, scripts: false);
        var store = await app.CreateStoreAsync();

        var unknownPlugin = await PostRuleAsync(store.Api, new { name = "x", kind = "plugin", pluginId = "adintel.nope", scope = "ad" });
        var unknownParameter = await PostRuleAsync(store.Api, new
        {
            name = "x", kind = "plugin", pluginId = "adintel.creative-fatigue", scope = "ad", parameters = new Dictionary<string, double> { ["recent_day"] = 10 },
        });
        var outOfRange = await PostRuleAsync(store.Api, new
        {
            name = "x", kind = "plugin", pluginId = "adintel.creative-fatigue", scope = "ad", parameters = new Dictionary<string, double> { ["recent_days"] = 400 },
        });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_rule"), (unknownPlugin.Status, unknownPlugin.Code));
        Assert.Contains("There is no loaded plugin adintel.nope", unknownPlugin.Error.GetProperty("details").GetProperty("fields").GetProperty("pluginId").GetString());
        Assert.Contains("Creative fatigue has no parameter recent_day. Did you mean recent_days?", unknownParameter.Error.GetProperty("details").GetProperty("fields").GetProperty("parameters").GetString());
        Assert.Contains("recent_days must be between 3 and 30", outOfRange.Error.GetProperty("message").GetString());
        Assert.Empty(await app.WithDbAsync(store.StoreId, db => db.Rules.ToListAsync()));
    }

    [Fact]
    public async Task Owner_script_rule_runs_as_trusted_code_and_others_are_refused()
    {
        await using var app = await StartAsync(null, scripts: true);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var script = new
        {
            name = "Losers (script)",
            kind = "script",
            script = "if (purchases_7d is null) return false;\nreturn spend_7d > 100 && purchases_7d == 0;",
            scope = "ad_set",
            actions = new object[] { new { type = "pause" } },
            riskLevel = "low",
            automationMode = "auto_all",
        };

        var rule = await store.CreateRuleAsync(script);
        var run = await store.PostAsync($"/api/rules/{rule.GetProperty("id").GetInt64()}/run");

        Assert.Equal("script", rule.GetProperty("kind").GetString());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        var action = Assert.Single(await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync()));
        Assert.Equal(("script", store.LoserAdSetId, "executed"), (action.Source, action.EntityId, action.Status));

        var broken = await PostRuleAsync(store.Api, script with { script = "spend_7d >" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_script"), (broken.Status, broken.Code));
        Assert.Equal(1, broken.Error.GetProperty("details").GetProperty("errors")[0].GetProperty("position").GetProperty("line").GetInt32());

        // Scripts are the owner's: a marketer can neither write nor preview one (a preview compiles and runs it).
        var marketer = await app.CreateStoreAsync(StoreRole.Marketer);
        var refused = await PostRuleAsync(marketer.Api, script);
        using var preview = await marketer.Api.PostAsJsonAsync("/api/rules/preview", script);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Only the store's owner", refused.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, preview.StatusCode);
    }

    [Fact]
    public async Task Script_rules_are_refused_while_the_install_has_scripts_turned_off()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var refused = await PostRuleAsync(store.Api, new
        {
            name = "s", kind = "script", script = "spend_7d > 1", scope = "ad", actions = new object[] { new { type = "notify" } },
        });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_script"), (refused.Status, refused.Code));
        Assert.Contains("turned off", refused.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_platform_that_refuses_the_change_leaves_the_entity_as_it_was_and_the_action_failed_with_its_reason()
    {
        await using var app = await StartAsync(null, scripts: false);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        using var refusing = app.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddScoped<SimulatedAdPlatform>();
            services.AddScoped<IAdPlatform>(sp => new RefusingPlatform(sp.GetRequiredService<SimulatedAdPlatform>()));
        }));
        using var api = refusing.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", store.Store.Token);
        var rule = await store.CreateRuleAsync(new
        {
            name = "Pause losers", scope = "ad_set", expression = "spend_7d > 100 and purchases_7d == 0",
            actions = new object[] { new { type = "pause" } }, riskLevel = "low", automationMode = "auto_all",
        });

        using var response = await api.PostAsync($"/api/rules/{rule.GetProperty("id").GetInt64()}/run", null);
        var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal((0, 1), (run.GetProperty("actionsExecuted").GetInt32(), run.GetProperty("actionsBlocked").GetInt32()));
        var action = Assert.Single(await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync()));
        Assert.Equal("failed", action.Status);
        Assert.Contains("(#2) Service temporarily unavailable", action.Reason, StringComparison.Ordinal);
        var adSet = await app.WithDbAsync(store.Store.StoreId, db => db.AdSets.AsNoTracking().SingleAsync(a => a.Id == store.LoserAdSetId));
        Assert.Equal(EntityStatus.Active, adSet.Status);
        Assert.Empty(await app.WithDbAsync(store.Store.StoreId, db => db.Alerts.ToListAsync()));
    }

    private async Task<AdIntelApp> StartAsync(PluginFolders? plugins, bool scripts) =>
        await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            // An empty folder when the test needs no plugins: what loads must not depend on the machine's build output.
            ["Plugins:Directory"] = plugins?.Directory ?? Directory.CreateTempSubdirectory("adintel-no-plugins-").FullName,
            ["Rules:CSharpScripts:Enabled"] = scripts ? "true" : "false",
        });

    /// <summary>An ad in the winning ad set whose CTR fell 40% and frequency rose 60% against its first week, 3 weeks ago.</summary>
    private static Task<long> AddFatiguedAdAsync(AdIntelApp app, RuleTestStore store) => app.WithDbAsync(store.Store.StoreId, async db =>
    {
        var ad = new Ad { AdSetId = store.WinnerAdSetId, CampaignId = store.CampaignId, ExternalId = $"ta{store.Store.StoreId}", Name = "Tired carousel", UpdatedAtUtc = PinnedDate.UtcNow };
        db.Ads.Add(ad);
        await db.SaveChangesAsync();
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        for (var d = 1; d <= 21; d++)
        {
            var firstWeek = d >= 15;
            db.AdInsights.Add(new AdInsightDaily
            {
                AdId = ad.Id, Date = today.AddDays(-d), Spend = 50m, Impressions = 10_000, Reach = firstWeek ? 8000 : 5000,
                LinkClicks = firstWeek ? 200 : 120, Purchases = 1, PurchaseValue = 60m,
            });
        }
        await db.SaveChangesAsync();
        return ad.Id;
    });

    private static async Task<(HttpStatusCode Status, string? Code, JsonElement Error)> PostRuleAsync(HttpClient api, object rule)
    {
        using var response = await api.PostAsJsonAsync("/api/rules", rule);
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var e) ? e.Clone() : default;
        return (response.StatusCode, error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString() : null, error);
    }

    /// <summary>Reads like the platform but refuses every change, as Meta does when it is down.</summary>
    private sealed class RefusingPlatform(IAdPlatform inner) : IAdPlatform
    {
        public Task<AdEntityState?> GetAsync(RuleScope scope, long entityId, CancellationToken cancellationToken) => inner.GetAsync(scope, entityId, cancellationToken);

        public Task<AdEntityState> SetStatusAsync(RuleScope scope, long entityId, string status, CancellationToken cancellationToken) =>
            throw new HttpRequestException("(#2) Service temporarily unavailable");

        public Task<AdEntityState> SetDailyBudgetAsync(RuleScope scope, long entityId, decimal dailyBudget, CancellationToken cancellationToken) =>
            throw new HttpRequestException("(#2) Service temporarily unavailable");
    }
}
