using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>Runs through the API and the store job: actions, rails, idempotency, approvals, undo, logs and backtests.</summary>
[Collection(AppCollection.Name)]
public sealed class RuleExecutionTests(AppFixture fixture)
{
    private static object PauseLosers(string mode = "auto_all") => new
    {
        name = "Pause losers",
        scope = "ad_set",
        expression = "status == 'ACTIVE' and spend_7d > 100 and purchases_7d == 0",
        actions = new object[] { new { type = "pause" } },
        riskLevel = "low",
        automationMode = mode,
        schedule = new { everyMinutes = 60 },
    };

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Run_pauses_the_loser_logs_every_entity_and_a_retried_slot_never_acts_twice(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var rule = await store.CreateRuleAsync(PauseLosers());
        var ruleId = rule.GetProperty("id").GetInt64();

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");

        Assert.Equal(RuleExecutionStatuses.Succeeded, run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("evaluated").GetInt32());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        Assert.Equal(1, run.GetProperty("actionsExecuted").GetInt32());
        var entities = run.GetProperty("entities").EnumerateArray().ToList();
        var loser = entities.Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdSetId);
        Assert.True(loser.GetProperty("matched").GetBoolean());
        Assert.Equal(315m, loser.GetProperty("values").GetProperty("spend_7d").GetDecimal());
        Assert.Equal(ActionOutcome.Executed, loser.GetProperty("actions")[0].GetProperty("result").GetString());
        var winner = entities.Single(e => e.GetProperty("entityId").GetInt64() == store.WinnerAdSetId);
        Assert.False(winner.GetProperty("matched").GetBoolean());
        Assert.Contains("purchases_7d == 0", winner.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Paused, await StatusAsync(app, store, store.LoserAdSetId));

        // Undo, then run the same slot again (a retry): the key rule × slot × entity × action has acted already.
        var action = (await store.GetAsync("/api/actions")).EnumerateArray().Single();
        await store.PostAsync($"/api/actions/{action.GetProperty("id").GetInt64()}/undo");
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));
        var retry = await store.PostAsync($"/api/rules/{ruleId}/run");
        Assert.Equal(0, retry.GetProperty("actionsExecuted").GetInt32());
        Assert.Equal("duplicate", retry.GetProperty("entities").EnumerateArray()
            .Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdSetId).GetProperty("actions")[0].GetProperty("result").GetString());
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));
        Assert.Single((await store.GetAsync("/api/actions")).EnumerateArray());

        var executions = await store.GetAsync($"/api/rules/{ruleId}/executions");
        Assert.Equal(2, executions.GetArrayLength());
        var detail = await store.GetAsync($"/api/rules/executions/{executions[1].GetProperty("id").GetInt64()}");
        Assert.Equal(2, detail.GetProperty("entities").GetArrayLength());
        Assert.NotNull(await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == ruleId).Select(r => r.LastTriggeredAtUtc).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_level_larger_than_the_log_lists_keeps_the_matched_entities_and_counts_the_rest_by_reason(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        // Enough ads without delivery to take the ad level past what a log lists one by one.
        await app.WithDbAsync(store.Store.StoreId, async db =>
        {
            var adSet = await db.AdSets.SingleAsync(a => a.Id == store.LoserAdSetId);
            var quiet = Enumerable.Range(0, RuleRunner.ListEveryEntityUpTo).Select(i => new Ad
            {
                AdSetId = adSet.Id, CampaignId = adSet.CampaignId, ExternalId = $"quiet{store.Store.StoreId}-{i}", Name = $"Quiet ad {i}", UpdatedAtUtc = PinnedDate.UtcNow,
            }).ToList();
            await BulkWriter.InsertAsync(db, quiet, CancellationToken.None);
            return quiet.Count;
        });
        var ruleId = (await store.CreateRuleAsync(new
        {
            name = "Flag spenders without sales",
            scope = "ad",
            expression = "spend_7d > 100 and purchases_7d == 0",
            actions = new object[] { new { type = "notify" } },
            schedule = new { everyMinutes = 60 },
        })).GetProperty("id").GetInt64();

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");

        Assert.Equal(RuleRunner.ListEveryEntityUpTo + 2, run.GetProperty("evaluated").GetInt32());
        Assert.Equal(1, run.GetProperty("matched").GetInt32());
        var listed = Assert.Single(run.GetProperty("entities").EnumerateArray());
        Assert.Equal(store.LoserAdId, listed.GetProperty("entityId").GetInt64());
        Assert.Equal(315m, listed.GetProperty("values").GetProperty("spend_7d").GetDecimal());
        var notListed = run.GetProperty("notListed");
        Assert.Equal(RuleRunner.ListEveryEntityUpTo + 1, notListed.GetProperty("entities").GetInt32());
        var reasons = notListed.GetProperty("reasons").EnumerateArray()
            .Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("entities").GetInt32())).ToList();
        Assert.Equal([("False: spend_7d > 100.", RuleRunner.ListEveryEntityUpTo), ("False: purchases_7d == 0.", 1)], reasons);

        // A small level is still listed entity by entity, with nothing counted apart.
        var adSetRule = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        var small = await store.PostAsync($"/api/rules/{adSetRule}/run");
        Assert.Equal(2, small.GetProperty("entities").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, small.GetProperty("notListed").ValueKind);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Store_job_runs_due_rules_once_per_slot_even_when_retried(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        // The rule counts as created before the current slot, so the slot is due.
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == ruleId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAtUtc, PinnedDate.UtcNow.AddDays(-1))));
        var job = app.Services.GetRequiredService<RunStoreRulesJob>();

        await job.RunAsync(store.Store.StoreId, CancellationToken.None);
        await job.RunAsync(store.Store.StoreId, CancellationToken.None);

        var (runs, actions) = await app.WithDbAsync(store.Store.StoreId, async db =>
            (await db.RuleExecutions.Where(e => e.RuleId == ruleId).ToListAsync(), await db.ActionRecords.ToListAsync()));
        Assert.Single(runs);
        Assert.Equal("schedule", runs[0].Trigger);
        Assert.Single(actions);
        Assert.Equal(ActionStatuses.Executed, actions[0].Status);
        Assert.Equal("automation", await app.WithDbAsync(store.Store.StoreId, db => db.AuditEntries.Where(a => a.Action == "action.executed").Select(a => a.Actor).SingleAsync()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Store_job_logs_each_due_rule_on_its_own_run_and_a_failing_rule_does_not_stop_the_others(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        object Notify(string name, string expression) => new
        {
            name, scope = "ad_set", expression, riskLevel = "low", automationMode = "auto_all",
            actions = new object[] { new { type = "notify" } }, schedule = new { everyMinutes = 60 },
        };
        var pauseId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        var brokenId = (await store.CreateRuleAsync(Notify("Broken since", "spend_7d > 1"))).GetProperty("id").GetInt64();
        var quietId = (await store.CreateRuleAsync(Notify("Nothing spends that much", "spend_7d > 1000000"))).GetProperty("id").GetInt64();
        // Every rule counts as created before the current slot; the middle one's stored expression no longer compiles.
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAtUtc, PinnedDate.UtcNow.AddDays(-1))));
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == brokenId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Expression, "spend_7d >").SetProperty(r => r.Version, r => r.Version + 100)));

        await app.Services.GetRequiredService<RunStoreRulesJob>().RunAsync(store.Store.StoreId, CancellationToken.None);

        var (runs, actions, rules) = await app.WithDbAsync(store.Store.StoreId, async db =>
            (await db.RuleExecutions.ToListAsync(), await db.ActionRecords.ToListAsync(), await db.Rules.ToListAsync()));
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.NotNull(r.FinishedAtUtc));
        var pause = runs.Single(r => r.RuleId == pauseId);
        Assert.Equal((RuleExecutionStatuses.Succeeded, 2, 1, 1), (pause.Status, pause.Evaluated, pause.Matched, pause.ActionsExecuted));
        // The action points at the run of the rule that took it.
        Assert.Equal(pause.Id, Assert.Single(actions).RuleExecutionId);
        var broken = runs.Single(r => r.RuleId == brokenId);
        Assert.Equal(RuleExecutionStatuses.Failed, broken.Status);
        Assert.StartsWith("The expression no longer compiles", broken.Message, StringComparison.Ordinal);
        var quiet = runs.Single(r => r.RuleId == quietId);
        Assert.Equal((RuleExecutionStatuses.Succeeded, 2, 0), (quiet.Status, quiet.Evaluated, quiet.Matched));
        Assert.NotNull(rules.Single(r => r.Id == pauseId).LastTriggeredAtUtc);
        Assert.Null(rules.Single(r => r.Id == quietId).LastTriggeredAtUtc);
        Assert.Equal(EntityStatus.Paused, await StatusAsync(app, store, store.LoserAdSetId));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Two_evaluations_of_one_store_at_the_same_moment_apply_the_action_once(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == ruleId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAtUtc, PinnedDate.UtcNow.AddDays(-1))));
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();

        // Two instances' store jobs for the same slot: the store's rule lock makes the second find the slot done.
        var job = app.Services.GetRequiredService<RunStoreRulesJob>();
        await Task.WhenAll(Task.Run(() => job.RunAsync(store.Store.StoreId, CancellationToken.None)),
            Task.Run(() => job.RunAsync(store.Store.StoreId, CancellationToken.None)));

        var runs = await app.WithDbAsync(store.Store.StoreId, db => db.RuleExecutions.Where(e => e.RuleId == ruleId).ToListAsync());
        Assert.Equal(RuleExecutionStatuses.Succeeded, Assert.Single(runs).Status);

        // Two evaluations that bypass the lock (as runs without it would): the action's claim on its idempotency key
        // lets one apply it; the other finds it claimed (or already applied).
        await store.PostAsync($"/api/actions/{(await store.GetAsync("/api/actions")).EnumerateArray().Single().GetProperty("id").GetInt64()}/undo");
        await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.ExecuteDeleteAsync());
        async Task<RuleExecution> EvaluateAsync()
        {
            await using var scope = scopes.CreateStoreScope(store.Store.StoreId);
            var services = scope.ServiceProvider;
            var rule = await services.GetRequiredService<AdIntelDbContext>().Rules.SingleAsync(r => r.Id == ruleId);
            var session = await services.GetRequiredService<ActionExecutor>().BeginAsync(CancellationToken.None);
            var snapshot = await services.GetRequiredService<RuleSnapshotBuilder>().BuildAsync(null, CancellationToken.None);
            return await services.GetRequiredService<RuleRunner>().RunAsync(rule, RuleRunner.ScheduleTrigger, snapshot, session, CancellationToken.None);
        }
        var raced = await Task.WhenAll(Task.Run(EvaluateAsync), Task.Run(EvaluateAsync));

        Assert.Equal([0, 1], raced.Select(r => r.ActionsExecuted).Order());
        var actions = await app.WithDbAsync(store.Store.StoreId, db => db.ActionRecords.ToListAsync());
        Assert.Equal(ActionStatuses.Executed, Assert.Single(actions).Status);
        Assert.Equal(EntityStatus.Paused, await StatusAsync(app, store, store.LoserAdSetId));
        Assert.Equal(2, await app.WithDbAsync(store.Store.StoreId, db => db.AuditEntries.CountAsync(a => a.Action == "action.executed")));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Suggestions_wait_for_approval_then_approve_executes_reject_clears_and_undo_restores(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync(mode: "suggestions_only");
        var ruleId = (await store.CreateRuleAsync(new
        {
            name = "Trim everything", scope = "ad_set", expression = "spend_7d > 100", riskLevel = "low", automationMode = "auto_all",
            actions = new object[] { new { type = "scale_budget", percent = -30, min = 10 } },
        })).GetProperty("id").GetInt64();
        var pauseId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");
        Assert.Equal(1, run.GetProperty("actionsQueued").GetInt32());
        Assert.Equal(0, run.GetProperty("actionsExecuted").GetInt32());
        // The bundled learning-phase guard vetoes budget changes on the loser (no purchases: still learning), for people too.
        var vetoed = run.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entityId").GetInt64() == store.LoserAdSetId)
            .GetProperty("actions")[0];
        Assert.Equal("blocked", vetoed.GetProperty("result").GetString());
        Assert.Contains("learning", vetoed.GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await store.PostAsync($"/api/rules/{pauseId}/run")).GetProperty("actionsQueued").GetInt32());
        var pending = (await store.GetAsync("/api/approvals")).EnumerateArray().ToList();
        Assert.Equal(2, pending.Count);
        Assert.All(pending, p => Assert.Contains("Suggestions only", p.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.Equal(100m, await BudgetAsync(app, store, store.WinnerAdSetId));

        // A second run does not queue the same suggestion twice.
        var again = await store.PostAsync($"/api/rules/{ruleId}/run");
        Assert.Equal(0, again.GetProperty("actionsQueued").GetInt32());
        Assert.Equal(2, (await store.GetAsync("/api/approvals")).GetArrayLength());

        var winnerAction = pending.Single(p => p.GetProperty("type").GetString() == "scale_budget").GetProperty("id").GetInt64();
        var loserAction = pending.Single(p => p.GetProperty("type").GetString() == "pause").GetProperty("id").GetInt64();
        var approved = await store.PostAsync($"/api/approvals/{winnerAction}/approve");
        Assert.Equal(ActionStatuses.Executed, approved.GetProperty("status").GetString());
        // −30% asked, the daily limit (20%) applies to people too.
        Assert.Equal(80m, approved.GetProperty("after").GetProperty("dailyBudget").GetDecimal());
        Assert.Equal(100m, approved.GetProperty("before").GetProperty("dailyBudget").GetDecimal());
        Assert.Equal(80m, await BudgetAsync(app, store, store.WinnerAdSetId));

        var rejected = await store.PostAsync($"/api/approvals/{loserAction}/reject");
        Assert.Equal(ActionStatuses.Rejected, rejected.GetProperty("status").GetString());
        using var approveRejected = await store.Api.PostAsJsonAsync($"/api/approvals/{loserAction}/approve", new { });
        Assert.Equal(HttpStatusCode.Conflict, approveRejected.StatusCode);
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));
        Assert.Empty((await store.GetAsync("/api/approvals")).EnumerateArray());

        var undone = await store.PostAsync($"/api/actions/{winnerAction}/undo");
        Assert.Equal(ActionStatuses.Undone, undone.GetProperty("status").GetString());
        Assert.Equal(100m, await BudgetAsync(app, store, store.WinnerAdSetId));
        using var undoTwice = await store.Api.PostAsJsonAsync($"/api/actions/{winnerAction}/undo", new { });
        Assert.Equal(HttpStatusCode.Conflict, undoTwice.StatusCode);

        var audit = await app.WithDbAsync(store.Store.StoreId, db => db.AuditEntries.Where(a => a.EntityType == "action").Select(a => a.Action).ToListAsync());
        Assert.Equal(["action.executed", "action.rejected", "action.undone"], audit.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Undo_refuses_to_overwrite_a_change_made_since()
    {
        var app = fixture.SqliteApp;
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync();
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        await store.PostAsync($"/api/rules/{ruleId}/run");
        var actionId = (await store.GetAsync("/api/actions")).EnumerateArray().Single().GetProperty("id").GetInt64();
        await app.WithDbAsync(store.Store.StoreId, db => db.AdSets.Where(a => a.Id == store.LoserAdSetId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, EntityStatus.Archived)));

        using var undo = await store.Api.PostAsJsonAsync($"/api/actions/{actionId}/undo", new { });

        Assert.Equal(HttpStatusCode.Conflict, undo.StatusCode);
        Assert.Contains("ARCHIVED", await undo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Archived, await StatusAsync(app, store, store.LoserAdSetId));
    }

    [Fact]
    public async Task Kill_switch_queues_what_would_have_run()
    {
        var app = fixture.SqliteApp;
        var store = await RuleTestStore.CreateAsync(app);
        await store.SetAutomationAsync(killSwitch: true);
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();

        var run = await store.PostAsync($"/api/rules/{ruleId}/run");

        Assert.Equal(1, run.GetProperty("actionsQueued").GetInt32());
        Assert.Contains("kill switch", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Active, await StatusAsync(app, store, store.LoserAdSetId));
    }

    [Fact]
    public async Task Test_and_backtest_show_matches_and_estimated_effects()
    {
        var store = await RuleTestStore.CreateAsync(fixture.SqliteApp);
        var ruleId = (await store.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();

        var test = await store.PostAsync($"/api/rules/{ruleId}/test");
        Assert.Equal(2, test.GetProperty("evaluated").GetInt32());
        var match = test.GetProperty("matches").EnumerateArray().Single();
        Assert.Equal(store.LoserAdSetId, match.GetProperty("entityId").GetInt64());
        Assert.Equal(315m, match.GetProperty("values").GetProperty("spend_7d").GetDecimal());

        var preview = await store.PostAsync("/api/rules/preview", new { scope = "ad", expression = "purchases_7d > 0" });
        Assert.Equal(store.WinnerAdId, preview.GetProperty("matches").EnumerateArray().Single().GetProperty("entityId").GetInt64());

        var backtest = await store.PostAsync($"/api/rules/{ruleId}/backtest", new { days = 7 });
        var firings = backtest.GetProperty("firings").EnumerateArray().ToList();
        // The first replayed day already sees 3 × 45 spent without a purchase; once paused it fires no more.
        var firing = Assert.Single(firings);
        Assert.Equal(store.LoserAdSetId, firing.GetProperty("entityId").GetInt64());
        Assert.Equal("pause", firing.GetProperty("action").GetString());
        var firedOn = DateOnly.Parse(firing.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var daysAfter = DateOnly.FromDateTime(PinnedDate.UtcNow).AddDays(-1).DayNumber - firedOn.DayNumber;
        Assert.Equal(-45m * daysAfter, firing.GetProperty("estimatedSpendChange").GetDecimal());
        Assert.Equal(45m * daysAfter, firing.GetProperty("estimatedProfitChange").GetDecimal());
        Assert.Contains("diminishing returns", backtest.GetProperty("method").GetString(), StringComparison.Ordinal);

        using var tooLong = await store.Api.PostAsJsonAsync($"/api/rules/{ruleId}/backtest", new { days = 400 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
    }

    [Fact]
    public async Task Backtest_compounds_daily_budget_steps_and_charges_each_day_to_the_latest_step()
    {
        var store = await RuleTestStore.CreateAsync(fixture.SqliteApp);
        var ruleId = (await store.CreateRuleAsync(new
        {
            name = "Scale winner", scope = "ad_set", expression = "purchases_7d > 0", riskLevel = "medium",
            actions = new object[] { new { type = "scale_budget", percent = 10 } },
        })).GetProperty("id").GetInt64();

        var backtest = await store.PostAsync($"/api/rules/{ruleId}/backtest", new { days = 3 });

        // Fires each of the 3 days: ×1.1, ×1.21, ×1.331. Each day after a firing, until the next, is charged to it:
        // the winner spends 90 a day, so +9 then +18.90, and the last firing has no day after it yet.
        var firings = backtest.GetProperty("firings").EnumerateArray().ToList();
        Assert.Equal([9m, 18.9m, 0m], firings.Select(f => f.GetProperty("estimatedSpendChange").GetDecimal()));
        // This store has no Shopify sales: a margin rate of 0, so the extra spend is all cost.
        Assert.Equal([-9m, -18.9m, 0m], firings.Select(f => f.GetProperty("estimatedProfitChange").GetDecimal()));
        Assert.Equal(27.9m, backtest.GetProperty("totals").GetProperty("estimatedSpendChange").GetDecimal());
    }

    [Fact]
    public async Task Backtest_applies_the_rails_a_run_applies_and_shows_what_they_hold_back_and_why()
    {
        var store = await RuleTestStore.CreateAsync(fixture.SqliteApp);
        var scaleHard = (await store.CreateRuleAsync(new
        {
            name = "Scale winner hard", scope = "ad_set", expression = "purchases_7d > 0", riskLevel = "medium",
            actions = new object[] { new { type = "scale_budget", percent = 50 } },
        })).GetProperty("id").GetInt64();

        // +50 % a day is cut to the daily budget rail's +20 %, as a run would: 90 a day → +18, then +39.60 (×1.2, ×1.44).
        var cut = await store.PostAsync($"/api/rules/{scaleHard}/backtest", new { days = 3 });
        var firings = cut.GetProperty("firings").EnumerateArray().ToList();
        Assert.Equal(3, firings.Count);
        Assert.All(firings, f => Assert.Contains(f.GetProperty("outcome").GetString(), new[] { "executed", "queued" }));
        Assert.Equal([18m, 39.6m, 0m], firings.Select(f => f.GetProperty("estimatedSpendChange").GetDecimal()));

        // With a 48-hour cooldown a run leaves the ad set alone the day after each change: those firings are held back, with the reason.
        await store.SetAutomationAsync(cooldownHours: 48);
        var cooled = await store.PostAsync($"/api/rules/{scaleHard}/backtest", new { days = 3 });
        var outcomes = cooled.GetProperty("firings").EnumerateArray().ToList();
        Assert.Equal(["blocked"], outcomes.Where(f => f.GetProperty("outcome").GetString() == "blocked").Select(f => f.GetProperty("outcome").GetString()).Distinct());
        var held = outcomes.Single(f => f.GetProperty("outcome").GetString() == "blocked");
        Assert.StartsWith("Cooldown:", held.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, held.GetProperty("estimatedSpendChange").ValueKind);
        Assert.Equal((2, 1), (cooled.GetProperty("totals").GetProperty("counted").GetInt32(), cooled.GetProperty("totals").GetProperty("heldBack").GetInt32()));
    }

    [Fact]
    public async Task Another_stores_rule_and_actions_are_404()
    {
        var app = fixture.SqliteApp;
        var a = await RuleTestStore.CreateAsync(app);
        await a.SetAutomationAsync(mode: "suggestions_only");
        var ruleId = (await a.CreateRuleAsync(PauseLosers())).GetProperty("id").GetInt64();
        await a.PostAsync($"/api/rules/{ruleId}/run");
        var actionId = (await a.GetAsync("/api/approvals")).EnumerateArray().Single().GetProperty("id").GetInt64();
        var b = await app.CreateStoreAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.GetAsync($"/api/rules/{ruleId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.PostAsJsonAsync($"/api/rules/{ruleId}/run", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.PostAsJsonAsync($"/api/approvals/{actionId}/approve", new { })).StatusCode);
        Assert.Empty(JsonDocument.Parse(await b.Api.GetStringAsync("/api/approvals")).RootElement.GetProperty("data").EnumerateArray());
    }

    private static Task<string> StatusAsync(AdIntelApp app, RuleTestStore store, long adSetId) =>
        app.WithDbAsync(store.Store.StoreId, db => db.AdSets.Where(a => a.Id == adSetId).Select(a => a.Status).SingleAsync());

    private static Task<decimal?> BudgetAsync(AdIntelApp app, RuleTestStore store, long adSetId) =>
        app.WithDbAsync(store.Store.StoreId, db => db.AdSets.Where(a => a.Id == adSetId).Select(a => a.DailyBudget).SingleAsync());
}
