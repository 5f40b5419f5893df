using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Settles at start what a stop without warning (kill -9, power loss, OOM) left behind: imports, rule runs and syncs
/// still "running" are marked interrupted with what to do next. With jobs kept in memory (SQLite: one instance) nothing
/// can still be running or waiting, so every unfinished import and sync is interrupted; with jobs shared in PostgreSQL
/// other instances may be running theirs and waiting jobs survive a restart, so only runs whose process stopped beating
/// are (<see cref="RunRecorder{TRun}"/>), and only rule runs whose store's rule lock nobody holds
/// (<see cref="DatabaseLocks"/>). (Daily facts that miss committed writes are the metrics' to rebuild: see
/// Metrics/PendingFactsRecovery.)
/// </summary>
public sealed class CrashRecovery(AdIntelDbContext db, IEnumerable<IRecordedRuns> recordedRuns, IOptions<DatabaseOptions> database, DatabaseLocks locks,
    TimeProvider time, ILogger<CrashRecovery> logger)
{
    public const string RuleRunInterruptedMessage =
        "The app stopped before this run finished. The next scheduled run evaluates the rule again; actions already taken are recorded and not repeated.";

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var jobsInMemory = !database.Value.IsPostgres;
        foreach (var runs in recordedRuns)
        {
            if (await runs.InterruptAsync(everyUnfinished: jobsInMemory, cancellationToken) is > 0 and var count)
            {
                logger.LogWarning("Marked {Count} {Runs} interrupted at start", count, runs.Name);
            }
        }
        var running = db.RuleExecutions.IgnoreQueryFilters().Where(e => e.Status == RuleExecutionStatuses.Running);
        if (!jobsInMemory)
        {
            // A rule run holds its store's rule lock while it runs; another instance's live run keeps it.
            var stores = await running.Select(e => e.StoreId).Distinct().ToListAsync(cancellationToken);
            var abandoned = new List<long>();
            foreach (var storeId in stores)
            {
                if (await locks.IsFreeAsync(LockKind.StoreRules, storeId, cancellationToken))
                {
                    abandoned.Add(storeId);
                }
            }
            running = running.Where(e => abandoned.Contains(e.StoreId));
        }
        var ruleRuns = await running
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, RuleExecutionStatuses.Interrupted)
                .SetProperty(e => e.Message, RuleRunInterruptedMessage)
                .SetProperty(e => e.FinishedAtUtc, now), cancellationToken);
        if (ruleRuns > 0)
        {
            logger.LogWarning("Marked {Count} rule runs interrupted at start", ruleRuns);
        }
    }
}
