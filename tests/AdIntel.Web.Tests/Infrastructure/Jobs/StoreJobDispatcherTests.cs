using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Alerts.Anomalies;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Tests.Rules.Api;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Infrastructure.Jobs;

/// <summary>
/// Each store's rule run (every 15 minutes), anomaly check and recommendations (hourly) are started by one recurring
/// dispatcher per kind: every store once a period, in a minute of its own, so no minute brings every store at once; the
/// rule runs of a store's turn belong to the quarter hour they run in; and nothing per store is registered with Hangfire.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StoreJobDispatcherTests(AppFixture fixture)
{
    /// <summary>A whole UTC hour: minute <c>m</c> after it is turn <c>m mod period</c> of every dispatcher.</summary>
    private static readonly DateTimeOffset Hour = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Whether the dispatcher starts the store's job in the store's turn.</summary>
    public static async Task<bool> DispatchedInItsTurnAsync(StoreJobDispatcher dispatcher, long storeId) =>
        (await dispatcher.StoresAtAsync(Hour.AddMinutes(dispatcher.TurnOf(storeId)), CancellationToken.None)).Contains(storeId);

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Every_store_is_dispatched_once_a_period_in_its_own_minute(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var withRules = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var store = await RuleTestStore.CreateAsync(app);
            await store.CreateRuleAsync(new { name = "r", scope = "ad", expression = "spend_7d > 1", actions = new object[] { new { type = "notify" } } });
            withRules.Add(store.Store.StoreId);
        }
        var withoutRules = (await app.CreateStoreAsync()).StoreId;
        List<long> ours = [.. withRules, withoutRules];

        var dispatchers = app.Services.GetServices<StoreJobDispatcher>().ToDictionary(d => d.JobId);
        Assert.Equal(["anomalies:dispatch", "recommendations:dispatch", "rules:dispatch"], dispatchers.Keys.Order());
        foreach (var dispatcher in dispatchers.Values)
        {
            var minutes = ours.ToDictionary(id => id, _ => new List<int>());
            for (var minute = 0; minute < 60; minute++)
            {
                foreach (var storeId in (await dispatcher.StoresAtAsync(Hour.AddMinutes(minute), CancellationToken.None)).Intersect(ours))
                {
                    minutes[storeId].Add(minute);
                }
            }
            var expected = dispatcher is RuleDispatcher ? withRules : ours;
            foreach (var storeId in ours)
            {
                var turns = expected.Contains(storeId)
                    ? Enumerable.Range(0, 60 / dispatcher.PeriodMinutes).Select(k => k * dispatcher.PeriodMinutes + dispatcher.TurnOf(storeId)).ToList()
                    : [];
                Assert.True(turns.SequenceEqual(minutes[storeId]), $"{dispatcher.JobId}, store {storeId}: dispatched at minutes [{string.Join(", ", minutes[storeId])}], expected [{string.Join(", ", turns)}]");
            }
        }
        Assert.Equal(15, dispatchers["rules:dispatch"].PeriodMinutes);
        // A store's two hourly jobs fall half an hour apart.
        Assert.All(ours, id => Assert.Equal(30, (dispatchers["recommendations:dispatch"].TurnOf(id) - dispatchers["anomalies:dispatch"].TurnOf(id) + 60) % 60));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_dispatched_minute_runs_the_rules_of_the_stores_whose_turn_it_is(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await RuleTestStore.CreateAsync(app);
        var rule = await store.CreateRuleAsync(new
        {
            name = "every quarter", scope = "ad", expression = "spend_7d >= 0", actions = new object[] { new { type = "notify" } },
            schedule = new { everyMinutes = 15 },
        });
        var ruleId = rule.GetProperty("id").GetInt64();
        // Made before the current slot began, so this slot is due.
        await app.WithDbAsync(store.Store.StoreId, db => db.Rules.Where(r => r.Id == ruleId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CreatedAtUtc, r => r.CreatedAtUtc.AddDays(-1))));
        var dispatcher = app.Services.GetRequiredService<RuleDispatcher>();

        Assert.True(await dispatcher.DispatchMinuteAsync(Hour.AddMinutes(dispatcher.TurnOf(store.Store.StoreId)), CancellationToken.None) >= 1);

        await Eventually.HoldsAsync(() => app.WithDbAsync(store.Store.StoreId, db => db.RuleExecutions.AnyAsync(e => e.RuleId == ruleId
                && e.Trigger == RuleRunner.ScheduleTrigger && e.Status == RuleExecutionStatuses.Succeeded)),
            "the store's job ran its rule", describe: app.DescribeJobs);
        var run = await app.WithDbAsync(store.Store.StoreId, db => db.RuleExecutions.AsNoTracking().Where(e => e.RuleId == ruleId).OrderBy(e => e.Id).FirstAsync());
        Assert.Equal(run.StartedAtUtc.AddTicks(-(run.StartedAtUtc.Ticks % TimeSpan.FromMinutes(15).Ticks)), run.SlotStartUtc);
    }

    [Fact]
    public void A_stores_quarter_hour_rules_run_in_the_quarter_of_their_turn_in_every_time_zone()
    {
        var dispatcher = fixture.SqliteApp.Services.GetRequiredService<RuleDispatcher>();
        var everyQuarter = new RuleSchedule { EveryMinutes = 15 };
        var zones = new[] { "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe" }.Select(TimeZoneInfo.FindSystemTimeZoneById);
        foreach (var zone in zones)
        {
            for (var quarter = Hour.AddDays(-1); quarter < Hour.AddDays(1); quarter = quarter.AddMinutes(15))
            {
                for (var storeId = 1L; storeId <= 15; storeId++)
                {
                    var turn = quarter.AddMinutes(dispatcher.TurnOf(storeId));
                    Assert.Equal(dispatcher.TurnOf(storeId), dispatcher.TurnAt(turn));
                    // From the moment the store's turn comes to the last second of the quarter, its job runs the quarter's slot.
                    Assert.Equal(quarter.UtcDateTime, everyQuarter.SlotStartUtc(turn, zone));
                    Assert.Equal(quarter.UtcDateTime, everyQuarter.SlotStartUtc(quarter.AddMinutes(15).AddTicks(-1), zone));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task The_dispatchers_are_registered_once_each_and_per_store_jobs_of_earlier_versions_are_removed(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        using var connection = storage.GetConnection();
        var dispatchers = connection.GetRecurringJobs().Where(j => j.Id.EndsWith(":dispatch", StringComparison.Ordinal)).OrderBy(j => j.Id).ToList();
        Assert.Equal(["anomalies:dispatch", "recommendations:dispatch", "rules:dispatch"], dispatchers.Select(j => j.Id));
        Assert.All(dispatchers, j => Assert.Equal((StoreJobDispatcher.Cron, JobQueues.Critical), (j.Cron, j.Job.Queue)));
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id.Contains(":store-", StringComparison.Ordinal));

        // Each occurrence Hangfire creates carries the time it was created, whose minute the dispatch enqueues.
        var occurrence = ((IRecurringJobManagerV2)recurring).TriggerJob("anomalies:dispatch");
        Assert.True(long.TryParse(connection.GetJobParameter(occurrence, "Time"), out var seconds), "the dispatch's occurrence has its time");
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(seconds), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        // What an earlier version registered per store goes at start (here: called again, as a start does).
        var storeId = (await app.CreateStoreAsync()).StoreId;
        recurring.AddOrUpdate<RunStoreRulesJob>($"rules:store-{storeId}", j => j.RunAsync(storeId, CancellationToken.None), "*/15 * * * *");
        recurring.AddOrUpdate<DetectAnomaliesJob>($"anomalies:store-{storeId}", j => j.RunAsync(storeId, CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<RecomputeRecommendationsJob>($"recommendations:store-{storeId}", j => j.RunAsync(storeId, CancellationToken.None), Cron.Hourly());
        foreach (var dispatcher in app.Services.GetServices<StoreJobDispatcher>())
        {
            Assert.True(dispatcher.RemovePerStoreJobs(storage, recurring, CancellationToken.None) >= 1, dispatcher.JobId);
        }
        Assert.DoesNotContain(connection.GetRecurringJobs(), j => j.Id.EndsWith($":store-{storeId}", StringComparison.Ordinal));
        Assert.Equal(3, connection.GetRecurringJobs().Count(j => j.Id.EndsWith(":dispatch", StringComparison.Ordinal)));
    }
}
