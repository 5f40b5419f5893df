using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Execution;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Rules.Execution;

/// <summary>
/// The daily sweep of the rule-run log deletes runs older than <c>Rules:RunLog:RetentionDays</c> in every store, however
/// many (in batches), and keeps the recent ones, a run an action waiting for approval points to, and a run still marked
/// running.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RuleRunLogRetentionTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task The_sweep_deletes_the_runs_past_retention_and_keeps_what_is_still_needed(string provider)
    {
        await using var app = await fixture.StartAppAsync(provider, new Dictionary<string, string?> { ["Rules:RunLog:RetentionDays"] = "10" });
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var (expired, kept) = (now.AddDays(-10).AddMinutes(-5), now.AddDays(-10).AddMinutes(5));
        var first = await SeedRuleAsync(app, now);
        var second = await SeedRuleAsync(app, now);
        // More than a batch of expired runs in one rule, a few in another store's.
        var expiredIds = new List<long>();
        expiredIds.AddRange(await AddRunsAsync(app, first, Enumerable.Repeat(expired, RuleRunLogRetention.BatchSize + 5).Select((t, i) => t.AddMinutes(-15 * i))));
        expiredIds.AddRange(await AddRunsAsync(app, second, [expired, expired.AddDays(-200)]));
        var recent = (await AddRunsAsync(app, first, [kept, now])).Concat(await AddRunsAsync(app, second, [now])).ToList();
        var decided = await AddRunsAsync(app, first, [expired, expired]);
        var (awaitingApproval, approved) = (decided[0], decided[1]);
        expiredIds.Add(approved);
        var stillRunning = (await AddRunsAsync(app, second, [expired], RuleExecutionStatuses.Running)).Single();
        await app.WithDbAsync(first.StoreId, async db =>
        {
            db.ActionRecords.Add(Action(first, awaitingApproval, ActionStatuses.PendingApproval, "waits"));
            db.ActionRecords.Add(Action(first, approved, ActionStatuses.Executed, "done"));
            await db.SaveChangesAsync();
        });

        var deleted = await app.Services.GetRequiredService<RuleRunLogRetention>().RunAsync(CancellationToken.None);

        Assert.Equal(expiredIds.Count, deleted);
        var left = await app.WithDbAsync(null, db => db.RuleExecutions.IgnoreQueryFilters().Where(e => e.RuleId == first.Id || e.RuleId == second.Id)
            .Select(e => e.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(recent.Append(awaitingApproval).Append(stillRunning).Order(), left);
        // The action keeps the id of its swept run; the queue's action keeps its run.
        Assert.Equal(2, await app.WithDbAsync(first.StoreId, db => db.ActionRecords.CountAsync(a => a.RuleId == first.Id && a.RuleExecutionId != null)));
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == RuleRunLogRetention.JobId && j.Cron == Cron.Daily(4));
    }

    [Fact]
    public async Task A_retention_shorter_than_a_daily_rules_slot_is_refused_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Rules:RunLog:RetentionDays"] = "1" }));
        Assert.Contains("RetentionDays", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Rule> SeedRuleAsync(AdIntelApp app, DateTime now)
    {
        var store = await app.CreateStoreAsync();
        return await app.WithDbAsync(store.StoreId, async db =>
        {
            var rule = new Rule { StoreId = store.StoreId, Name = "kept for a while", Expression = "spend_7d > 1", CreatedAtUtc = now.AddDays(-400), UpdatedAtUtc = now };
            db.Rules.Add(rule);
            await db.SaveChangesAsync();
            return rule;
        });
    }

    private static Task<List<long>> AddRunsAsync(AdIntelApp app, Rule rule, IEnumerable<DateTime> starts, string status = RuleExecutionStatuses.Succeeded) =>
        app.WithDbAsync(rule.StoreId, async db =>
        {
            var runs = starts.Select(start => new RuleExecution
            {
                StoreId = rule.StoreId, RuleId = rule.Id, SlotStartUtc = start, StartedAtUtc = start,
                FinishedAtUtc = status == RuleExecutionStatuses.Running ? null : start.AddSeconds(1), Status = status,
            }).ToList();
            db.RuleExecutions.AddRange(runs);
            await db.SaveChangesAsync();
            return runs.Select(r => r.Id).ToList();
        });

    private static ActionRecord Action(Rule rule, long runId, string status, string entity) => new()
    {
        StoreId = rule.StoreId, RuleId = rule.Id, RuleExecutionId = runId, EntityScope = "ad", EntityId = 1, EntityExternalId = entity, EntityName = entity,
        Type = "notify", Status = status, IdempotencyKey = $"retention-test:{runId}",
    };
}
