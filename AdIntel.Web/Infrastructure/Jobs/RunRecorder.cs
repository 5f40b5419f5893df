using System.Linq.Expressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>The recorded runs of one kind, for what settles runs across stores (crash recovery, the stale-run sweep).</summary>
public interface IRecordedRuns
{
    /// <summary>What the runs are, for the log ("imports").</summary>
    string Name { get; }

    /// <summary>
    /// Marks runs that can no longer finish as interrupted, in every store: running ones whose heartbeat is stale, or,
    /// with <paramref name="everyUnfinished"/> (nothing else can be running them: the only instance just started with
    /// jobs kept in memory), every queued or running one.
    /// </summary>
    Task<int> InterruptAsync(bool everyUnfinished, CancellationToken cancellationToken);
}

/// <summary>
/// The one place that writes the life of a background run (<see cref="IRecordedRun"/>: an import, a sync) into its row:
/// start (a new run, or a queued one claimed), progress, heartbeat, the end (succeeded, failed, cancelled) and stale runs
/// (interrupted). A running run writes a heartbeat every <see cref="JobsOptions.HeartbeatInterval"/> from its own scope,
/// whatever it is busy with; one whose heartbeat is older than <see cref="JobsOptions.StaleAfter"/> belongs to a process
/// that died, so it is marked interrupted and the same work may start again. Each kind of run says how an interrupted run
/// reads and what to clean up after it. Scoped: it writes through the scope's store-filtered context.
/// </summary>
public abstract class RunRecorder<TRun>(AdIntelDbContext db, IServiceScopeFactory scopes, IOptions<JobsOptions> options, TimeProvider time, ILogger logger)
    : IRecordedRuns
    where TRun : class, IRecordedRun
{
    public abstract string Name { get; }

    protected AdIntelDbContext Db => db;

    private DbSet<TRun> Runs => db.Set<TRun>();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Running runs whose last heartbeat is before this belong to a dead process.</summary>
    public DateTime StaleBefore => Now - options.Value.StaleAfter;

    /// <summary>What an interrupted run says (its error or result), written with its status.</summary>
    protected abstract void DescribeInterruption(UpdateSettersBuilder<TRun> set);

    /// <summary>Cleans up after runs just marked interrupted (of any store).</summary>
    protected virtual Task OnInterruptedAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Starts <paramref name="run"/> as running unless a live run of the same work (<paramref name="sameWork"/>) exists:
    /// stale ones are marked interrupted first. A unique index on the running runs of the work (see the entity's
    /// configuration) settles two that start at the same moment. Returns the run that is running the work now.
    /// </summary>
    public async Task<(TRun Run, bool Started)> StartAsync(TRun run, Expression<Func<TRun, bool>> sameWork, CancellationToken cancellationToken)
    {
        var running = await Runs.AsNoTracking().Where(sameWork).Where(r => r.Status == RunStatuses.Running).ToListAsync(cancellationToken);
        var staleBefore = StaleBefore;
        var stale = running.Where(r => !r.IsLive(staleBefore)).Select(r => r.Id).ToList();
        if (stale.Count > 0)
        {
            logger.LogWarning("{Runs} {RunIds} stopped beating without finishing; marked interrupted", Name, stale);
            await InterruptRunsAsync(stale, cancellationToken);
        }
        if (running.FirstOrDefault(r => r.IsLive(staleBefore)) is { } live)
        {
            return (live, false);
        }
        var now = Now;
        run.Status = RunStatuses.Running;
        run.StartedAtUtc = now;
        run.HeartbeatAtUtc = now;
        Runs.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.Entry(run).State = EntityState.Detached;
            var other = await Runs.AsNoTracking().Where(sameWork).FirstOrDefaultAsync(r => r.Status == RunStatuses.Running, cancellationToken);
            if (other is null)
            {
                throw;
            }
            return (other, false);
        }
        return (run, true);
    }

    /// <summary>Takes a queued run (queued → running); false when it is no longer queued (taken, or settled meanwhile).</summary>
    public async Task<bool> ClaimAsync(long runId, CancellationToken cancellationToken)
    {
        var now = Now;
        return await Runs.Where(r => r.Id == runId && r.Status == RunStatuses.Queued).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, RunStatuses.Running)
            .SetProperty(r => r.StartedAtUtc, now)
            .SetProperty(r => r.HeartbeatAtUtc, now), cancellationToken) == 1;
    }

    /// <summary>Writes progress (<paramref name="progress"/>) and a heartbeat, outside any transaction of the caller's.</summary>
    public Task ReportAsync(long runId, Action<UpdateSettersBuilder<TRun>> progress, CancellationToken cancellationToken)
    {
        var now = Now;
        return Runs.Where(r => r.Id == runId && r.Status == RunStatuses.Running).ExecuteUpdateAsync(set =>
        {
            set.SetProperty(r => r.HeartbeatAtUtc, now);
            progress(set);
        }, cancellationToken);
    }

    /// <summary>
    /// Records how a run ended (<paramref name="status"/>, with <paramref name="outcome"/>), whatever its context was left
    /// in; returns when it ended.
    /// </summary>
    public async Task<DateTime> FinishAsync(long runId, string status, Action<UpdateSettersBuilder<TRun>> outcome)
    {
        if (!RunStatuses.IsFinished(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A finished status.");
        }
        var now = Now;
        // Not cancellable: a run stopped half way must still say so.
        await Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(set =>
        {
            set.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAtUtc, now).SetProperty(r => r.HeartbeatAtUtc, now);
            outcome(set);
        }, CancellationToken.None);
        return now;
    }

    /// <summary>Beats for <paramref name="runId"/> until disposed: from its own scope, so whatever the run's context is doing.</summary>
    public IAsyncDisposable KeepAlive(long runId)
    {
        var storeId = db.StoreContext.RequiredStoreId;
        return new Heartbeat(options.Value.HeartbeatInterval, time, async stop =>
        {
            try
            {
                await using var scope = scopes.CreateStoreScope(storeId);
                var now = Now;
                await scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().Set<TRun>()
                    .Where(r => r.Id == runId && r.Status == RunStatuses.Running)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAtUtc, now), stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next beat tries again; only a run silent for Jobs:StaleAfter counts as dead.
                logger.LogWarning(e, "Could not write the heartbeat of {Runs} run {RunId}", Name, runId);
            }
        });
    }

    public virtual async Task<int> InterruptAsync(bool everyUnfinished, CancellationToken cancellationToken)
    {
        var runs = Runs.IgnoreQueryFilters().Where(r => r.Status == RunStatuses.Running || (everyUnfinished && r.Status == RunStatuses.Queued));
        if (!everyUnfinished)
        {
            var staleBefore = StaleBefore;
            runs = runs.Where(r => r.HeartbeatAtUtc < staleBefore);
        }
        var ids = await runs.Select(r => r.Id).ToListAsync(cancellationToken);
        if (ids.Count > 0)
        {
            await InterruptRunsAsync(ids, cancellationToken);
        }
        return ids.Count;
    }

    private async Task InterruptRunsAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var now = Now;
        // Only runs still unfinished: one that ended meanwhile keeps its own ending.
        await Runs.IgnoreQueryFilters().Where(r => ids.Contains(r.Id) && (r.Status == RunStatuses.Running || r.Status == RunStatuses.Queued)).ExecuteUpdateAsync(set =>
        {
            set.SetProperty(r => r.Status, RunStatuses.Interrupted).SetProperty(r => r.FinishedAtUtc, now);
            DescribeInterruption(set);
        }, cancellationToken);
        await OnInterruptedAsync(ids, cancellationToken);
    }

    /// <summary>Calls <c>beat</c> every interval on the thread pool until disposed.</summary>
    private sealed class Heartbeat : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _beating;

        public Heartbeat(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> beat)
        {
            _beating = Task.Run(() => BeatAsync(interval, time, beat, _stop.Token));
        }

        private static async Task BeatAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> beat, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(interval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    await beat(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Disposed: the run has ended.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _beating;
            _stop.Dispose();
        }
    }
}
