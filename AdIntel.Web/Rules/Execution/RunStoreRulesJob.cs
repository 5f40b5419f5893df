using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Execution;

/// <summary>
/// The recurring job of one store (every 15 minutes, see <see cref="RuleSchedules"/>): runs each active rule whose
/// schedule slot has no successful run yet, all over one snapshot. Runs of one store take turns under its rule lock
/// (<see cref="DatabaseLocks"/>, shared by every instance), so a slot runs once whichever instance picks it; a retried job
/// re-runs only unfinished slots, and the actions' idempotency keys keep any slot from acting twice.
/// </summary>
public sealed class RunStoreRulesJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<RunStoreRulesJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            services.GetRequiredService<RuleSchedules>().Remove(storeId);
            return;
        }
        // One run of a store at a time, on every instance: a second job for the same slot waits, then finds it done.
        await using var storeLock = await services.GetRequiredService<DatabaseLocks>().AcquireAsync(LockKind.StoreRules, storeId, cancellationToken);
        var rules = await db.Rules.Where(r => r.Active).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return;
        }
        var executor = services.GetRequiredService<ActionExecutor>();
        var session = await executor.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = new List<Rule>();
        foreach (var rule in rules)
        {
            var slot = RuleJson.Schedule(rule).SlotStartUtc(now, session.TimeZone);
            // A rule's first scheduled run is its first slot that starts after it was created.
            if (slot < rule.CreatedAtUtc)
            {
                continue;
            }
            var done = await db.RuleExecutions.AnyAsync(e => e.RuleId == rule.Id && e.Trigger == RuleRunner.ScheduleTrigger
                && e.SlotStartUtc == slot && e.Status == RuleExecutionStatuses.Succeeded, cancellationToken);
            if (!done)
            {
                due.Add(rule);
            }
        }
        if (due.Count == 0)
        {
            return;
        }
        var snapshot = await services.GetRequiredService<RuleSnapshotBuilder>().BuildAsync(now, cancellationToken);
        var runner = services.GetRequiredService<RuleRunner>();
        foreach (var rule in due)
        {
            var execution = await runner.RunAsync(rule, RuleRunner.ScheduleTrigger, snapshot, session, cancellationToken);
            logger.LogInformation("Rule {RuleId} of store {StoreId}: {Evaluated} evaluated, {Matched} matched, {Executed} executed, {Queued} queued ({Status})",
                rule.Id, storeId, execution.Evaluated, execution.Matched, execution.ActionsExecuted, execution.ActionsQueued, execution.Status);
        }
    }
}

/// <summary>
/// One Hangfire recurring job per store (<c>rules:store-{id}</c>, every 15 minutes: the finest schedule a rule can
/// have). Registered for every store at start and whenever a rule is saved, so a new store gets its job with its first rule.
/// </summary>
public sealed class RuleSchedules(IRecurringJobManager jobs)
{
    public const string Cron = "*/15 * * * *";

    public static string JobId(long storeId) => $"rules:store-{storeId}";

    public void Ensure(long storeId) =>
        jobs.AddOrUpdate<RunStoreRulesJob>(JobId(storeId), j => j.RunAsync(storeId, CancellationToken.None), Cron);

    public void Remove(long storeId) => jobs.RemoveIfExists(JobId(storeId));

    /// <summary>Registers every store's job once the app has started.</summary>
    internal sealed class Startup(IServiceScopeFactory scopes, ILogger<RuleSchedules> logger) : StoreJobsStartup(scopes, logger)
    {
        protected override string Jobs => "rule jobs";

        protected override Task<List<long>> StoresAsync(AdIntelDbContext db, CancellationToken cancellationToken) =>
            db.Stores.Select(s => s.Id).ToListAsync(cancellationToken);

        protected override void Ensure(IServiceProvider services, long storeId) => services.GetRequiredService<RuleSchedules>().Ensure(storeId);
    }
}
