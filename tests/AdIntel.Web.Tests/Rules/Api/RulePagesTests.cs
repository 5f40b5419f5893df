using System.Net;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tests.Infrastructure.Jobs;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Execution;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>The rules pages render for the demo store's owner, and the demo's tracking outage is what the breaker sees.</summary>
[Collection(AppCollection.Name)]
public sealed class RulePagesTests(AppFixture fixture)
{
    [Fact]
    public async Task Rule_pages_render_with_their_content()
    {
        var app = fixture.SqliteApp;
        var now = PinnedDate.UtcNow;
        var ruleId = await app.WithDbAsync(app.DemoStoreId, async db =>
        {
            var rule = new Rule { Name = "Page check rule", Scope = "ad", Expression = "spend_7d > 0", ActionsJson = """[{"type":"notify"}]""", CreatedAtUtc = now, UpdatedAtUtc = now };
            db.Rules.Add(rule);
            await db.SaveChangesAsync();
            db.RuleExecutions.Add(new RuleExecution { RuleId = rule.Id, Trigger = "manual", SlotStartUtc = now, StartedAtUtc = now, FinishedAtUtc = now, Status = RuleExecutionStatuses.Succeeded,
                Evaluated = 1, Matched = 1, DetailsJson = """[{"entityId":1,"externalId":"x1","name":"Logged ad","status":"ACTIVE","inFilter":true,"matched":true,"reason":"Every condition holds.","values":{"spend_7d":12.5},"actions":[]}]""",
                NotListedJson = """{"entities":1500,"reasons":[{"reason":"False: spend_7d > 0.","entities":1500}]}""" });
            await db.SaveChangesAsync();
            return rule.Id;
        });
        using var browser = app.CreateClient();

        var list = await browser.GetStringAsync("/rules");
        Assert.Contains("Page check rule", list, StringComparison.Ordinal);
        Assert.Contains("data-preset=\"stop-loss\"", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/rules\"", list, StringComparison.Ordinal);
        var editor = await browser.GetStringAsync($"/rules/{ruleId}");
        Assert.Contains("spend_7d &gt; 0", editor, StringComparison.Ordinal);
        Assert.Contains("roas_7d", editor, StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"keyup changed delay:500ms\"", editor, StringComparison.Ordinal);
        var log = await browser.GetStringAsync($"/rules/{ruleId}/executions");
        Assert.Contains("Logged ad", log, StringComparison.Ordinal);
        Assert.Contains("counts the other 1,500 by reason", log, StringComparison.Ordinal);
        Assert.Matches("""<td[^>]*>False: spend_7d &gt; 0\.</td><td[^>]* class="num">1,500</td>""", log);
        Assert.Contains("Nothing waits for approval", await browser.GetStringAsync("/rules/approvals"), StringComparison.Ordinal);
        Assert.Contains("Kill switch", await browser.GetStringAsync("/settings/automation"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/rules/new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/rules/999999999")).StatusCode);
    }

    [Fact]
    public async Task Saving_a_rule_puts_the_store_in_the_rule_dispatch_of_its_minute_and_deactivating_it_takes_it_out()
    {
        var app = fixture.SqliteApp;
        var store = await RuleTestStore.CreateAsync(app);
        var dispatcher = app.Services.GetRequiredService<RuleDispatcher>();
        Assert.False(await StoreJobDispatcherTests.DispatchedInItsTurnAsync(dispatcher, store.Store.StoreId), "a store without rules has no rule runs");

        var rule = await store.CreateRuleAsync(new { name = "r", scope = "ad", expression = "spend_7d > 1", actions = new object[] { new { type = "notify" } } });
        Assert.True(await StoreJobDispatcherTests.DispatchedInItsTurnAsync(dispatcher, store.Store.StoreId));

        var ruleId = rule.GetProperty("id").GetInt64();
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == ruleId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Active, false)));
        Assert.False(await StoreJobDispatcherTests.DispatchedInItsTurnAsync(dispatcher, store.Store.StoreId));
    }

    [Fact]
    public async Task Demo_tracking_outage_is_what_the_circuit_breaker_calls_broken()
    {
        var app = fixture.SqliteApp;
        var facts = await app.WithDbAsync(app.DemoStoreId, db => db.DailyFacts.AsNoTracking().OrderBy(f => f.Date).ToListAsync());

        // Judge every day of the demo's history as "today": the broken days found are exactly the outage's.
        var broken = facts.Skip(40).SelectMany(f => TrackingHealth.Evaluate(facts, f.Date, 50).BrokenDays).Distinct().Order().ToList();

        var (from, to) = DemoStoreGenerator.TrackingOutageDays(facts[^1].Date);
        Assert.Equal(Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays), broken);
    }
}
