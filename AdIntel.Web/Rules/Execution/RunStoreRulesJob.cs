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
        var rules = await db.Rules.AsNoTracking().Where(r => r.Active).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return;
        }
        var executor = services.GetRequiredService<ActionExecutor>();
        var session = await executor.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        // A rule's first scheduled run is its first slot that starts after it was created.
        var slots = rules.Select(r => (Rule: r, Slot: RuleJson.Schedule(r).SlotStartUtc(now, session.TimeZone))).Where(r => r.Slot >= r.Rule.CreatedAtUtc).ToList();
        if (slots.Count == 0)
        {
            return;
        }
        var earliest = slots.Min(r => r.Slot);
        var ruleIds = slots.Select(r => r.Rule.Id).ToList();
        var succeeded = (await db.RuleExecutions.AsNoTracking()
            .Where(e => ruleIds.Contains(e.RuleId) && e.SlotStartUtc >= earliest && e.Trigger == RuleRunner.ScheduleTrigger
                && e.Status == RuleExecutionStatuses.Succeeded)
            .Select(e => new { e.RuleId, e.SlotStartUtc }).ToListAsync(cancellationToken)).Select(e => (e.RuleId, e.SlotStartUtc)).ToHashSet();
        var due = slots.Where(r => !succeeded.Contains((r.Rule.Id, r.Slot))).Select(r => r.Rule).ToList();
        if (due.Count == 0)
        {
            return;
        }
        var snapshot = await services.GetRequiredService<RuleSnapshotBuilder>().BuildAsync(now, cancellationToken);
        var executions = await services.GetRequiredService<RuleRunner>().RunAllAsync(due, RuleRunner.ScheduleTrigger, snapshot, session, cancellationToken);
        foreach (var execution in executions)
        {
            logger.LogInformation("Rule {RuleId} of store {StoreId}: {Evaluated} evaluated, {Matched} matched, {Executed} executed, {Queued} queued ({Status})",
                execution.RuleId, storeId, execution.Evaluated, execution.Matched, execution.ActionsExecuted, execution.ActionsQueued, execution.Status);
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
