using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Snapshots;
using AdIntel.Web.Tests.Rules.Plugins;
using AdIntel.Web.Tests.Security;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>
/// Rules decided by a plugin or by a trusted C# script run through the same rails, log and approvals as expression
/// rules; scripts are the installation administrator's alone (never a token's) and off unless the install turns them on; a platform that refuses a change leaves the
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

        Assert.Equal(RuleExecutionStatuses.Succeeded, run.GetProperty("status").GetString());
        Assert.Equal(3, run.GetProperty("evaluated").GetInt32());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        Assert.Equal(2, run.GetProperty("actionsExecuted").GetInt32());
        var young = run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdId);
        Assert.Contains("too young", young.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var actions = await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.All(actions, a => Assert.Equal(("plugin", ruleId, tiredAdId, ActionStatuses.Executed), (a.Source, a.RuleId!.Value, a.EntityId, a.Status)));
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
    public async Task Administrator_script_rule_runs_through_the_rails_and_nobody_else_writes_previews_or_runs_scripts()
    {
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Plugins:Directory"] = Directory.CreateTempSubdirectory("adintel-no-plugins-").FullName,
            ["Rules:CSharpScripts:Enabled"] = "true",
        });
        var store = await RuleTestStore.CreateAsync(local.App);
        var administrator = await local.CreateAccountAsync($"admin-{Guid.NewGuid():N}@adintel.test", LocalApp.Password, administrator: true);
        var administratorMemberId = await local.AddMembershipAsync(store.Store.StoreId, administrator, StoreRole.Owner);
        // With local accounts a token belongs to a member: this one is the administrator's own.
        var administratorToken = await local.CreateTokenClientAsync(store.Store.StoreId, StoreRole.Owner,
            new TestMember(store.Store.StoreId, administrator.Id, administratorMemberId, administrator.Email!, StoreRole.Owner));
        await store.SetAutomationAsync(api: administratorToken);
        var admin = await local.SignInAsync(administrator.Email!);
        var script = new
        {
            name = "Losers (script)",
            kind = "script",
            // Script syntax over RuleScriptGlobals: catalogue names as variables, and the judged entity itself.
            script = "if (purchases_7d is null) return false;\nreturn spend_7d > 100 && purchases_7d == 0 && Entity.History.Count > 0;",
            scope = "ad_set",
            actions = new object[] { new { type = "pause" } },
            riskLevel = "low",
            automationMode = "auto_all",
        };

        var created = await ReadAsync(await admin.PostJsonAsync("/api/rules", script), HttpStatusCode.Created);
        var ruleId = created.GetProperty("id").GetInt64();
        var preview = await ReadAsync(await admin.PostJsonAsync("/api/rules/preview", script), HttpStatusCode.OK);
        await ReadAsync(await admin.PostJsonAsync($"/api/rules/{ruleId}/backtest", new { days = 7 }), HttpStatusCode.OK);
        var run = await ReadAsync(await admin.PostJsonAsync($"/api/rules/{ruleId}/run", new { }), HttpStatusCode.OK);

        Assert.Equal("script", created.GetProperty("kind").GetString());
        Assert.Equal(store.LoserAdSetId, Assert.Single(preview.GetProperty("matches").EnumerateArray()).GetProperty("entityId").GetInt64());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        var action = Assert.Single(await local.App.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync()));
        Assert.Equal(("script", store.LoserAdSetId, ActionStatuses.Executed), (action.Source, action.EntityId, action.Status));
        var broken = await admin.PostJsonAsync("/api/rules", script with { script = "spend_7d >" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);

        // The owner of another store, the way the probe did it: an owner token and a preview that reads the environment.
        var otherStoreId = await local.CreateStoreAsync();
        var otherOwner = await local.CreateMemberAsync(otherStoreId, StoreRole.Owner);
        var otherSession = await local.SignInAsync(otherOwner.Email);
        var otherToken = await local.CreateTokenClientAsync(otherStoreId, StoreRole.Owner);
        var probe = script with { script = "System.Environment.GetEnvironmentVariable(\"HOME\") != null" };
        var otherScriptRuleId = await local.App.WithDbAsync(otherStoreId, async db =>
        {
            var rule = new Rule { Name = "Saved script", Kind = "script", Script = "spend_7d > 1", Expression = "", Scope = "ad_set", CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
            db.Rules.Add(rule);
            await db.SaveChangesAsync();
            return rule.Id;
        });
        List<(string Who, HttpResponseMessage Response)> refused =
        [
            ("owner token: preview", await otherToken.PostAsJsonAsync("/api/rules/preview", probe)),
            ("owner token: create", await otherToken.PostAsJsonAsync("/api/rules", probe)),
            ("owner token: run", await otherToken.PostAsJsonAsync($"/api/rules/{otherScriptRuleId}/run", new { })),
            ("owner token: backtest", await otherToken.PostAsJsonAsync($"/api/rules/{otherScriptRuleId}/backtest", new { days = 7 })),
            ("owner token: test", await otherToken.PostAsJsonAsync($"/api/rules/{otherScriptRuleId}/test", new { })),
            ("owner session: preview", await otherSession.PostJsonAsync("/api/rules/preview", probe)),
            ("owner session: create", await otherSession.PostJsonAsync("/api/rules", probe)),
            ("owner session: run", await otherSession.PostJsonAsync($"/api/rules/{otherScriptRuleId}/run", new { })),
            ("owner session: backtest", await otherSession.PostJsonAsync($"/api/rules/{otherScriptRuleId}/backtest", new { days = 7 })),
            // Not even the administrator's own store's owner token: a token is not the administrator.
            ("administrator's store token: preview", await administratorToken.PostAsJsonAsync("/api/rules/preview", script)),
            ("administrator's store token: run", await administratorToken.PostAsJsonAsync($"/api/rules/{ruleId}/run", new { })),
            ("administrator's store token: update", await administratorToken.PutAsJsonAsync($"/api/rules/{ruleId}", script)),
        ];

        foreach (var (who, response) in refused)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{who}: {(int)response.StatusCode} {body}");
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal("forbidden", error.GetProperty("code").GetString());
            Assert.Contains("installation's administrator", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(1, await local.App.WithDbAsync(otherStoreId, db => db.Rules.CountAsync()));
        Assert.Empty(await local.App.WithDbAsync(otherStoreId, db => db.RuleExecutions.ToListAsync()));
    }

    [Fact]
    public async Task Script_timed_out_in_a_call_it_cannot_leave_is_abandoned_and_the_run_log_says_so()
    {
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Plugins:Directory"] = Directory.CreateTempSubdirectory("adintel-no-plugins-").FullName,
            ["Rules:CSharpScripts:Enabled"] = "true",
            ["Rules:CSharpScripts:TimeoutMilliseconds"] = "300",
        });
        var store = await RuleTestStore.CreateAsync(local.App);
        var administrator = await local.CreateAccountAsync($"admin-{Guid.NewGuid():N}@adintel.test", LocalApp.Password, administrator: true);
        await local.AddMembershipAsync(store.Store.StoreId, administrator, StoreRole.Owner);
        var admin = await local.SignInAsync(administrator.Email!);
        var sleeper = new
        {
            name = "Sleeps", kind = "script", script = "System.Threading.Thread.Sleep(8000); return true;", scope = "ad_set",
            actions = new object[] { new { type = "notify" } },
        };
        var created = await ReadAsync(await admin.PostJsonAsync("/api/rules", sleeper), HttpStatusCode.Created);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var preview = await admin.PostJsonAsync("/api/rules/preview", sleeper);
        var previewTook = started.Elapsed;
        started.Restart();
        var run = await ReadAsync(await admin.PostJsonAsync($"/api/rules/{created.GetProperty("id").GetInt64()}/run", new { }), HttpStatusCode.OK);
        var runTook = started.Elapsed;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Contains("timed out", JsonDocument.Parse(await preview.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(RuleExecutionStatuses.Failed, run.GetProperty("status").GetString());
        Assert.Contains("timed out", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(previewTook < TimeSpan.FromSeconds(6), $"The preview took {previewTook}: the sleeping script was waited for.");
        Assert.True(runTook < TimeSpan.FromSeconds(6), $"The run took {runTook}: the sleeping script was waited for.");
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
            return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
        }
    }

    [Fact]
    public async Task Script_rules_are_refused_while_the_install_has_scripts_turned_off()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await local.CreateStoreAsync();
        var administrator = await local.CreateAccountAsync($"admin-{Guid.NewGuid():N}@adintel.test", LocalApp.Password, administrator: true);
        await local.AddMembershipAsync(storeId, administrator, StoreRole.Owner);
        var admin = await local.SignInAsync(administrator.Email!);

        using var refused = await admin.PostJsonAsync("/api/rules", new
        {
            name = "s", kind = "script", script = "spend_7d > 1", scope = "ad", actions = new object[] { new { type = "notify" } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_script", error.GetProperty("code").GetString());
        Assert.Contains("turned off", error.GetProperty("message").GetString(), StringComparison.Ordinal);
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
        Assert.Equal(RuleExecutionStatuses.Succeeded, run.GetProperty("status").GetString());
        Assert.Equal((0, 1), (run.GetProperty("actionsExecuted").GetInt32(), run.GetProperty("actionsBlocked").GetInt32()));
        var action = Assert.Single(await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync()));
        Assert.Equal(ActionStatuses.Failed, action.Status);
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
