using AdIntel.Web.Infrastructure.Data;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>
/// Starts one kind of per-store job (a store's rule run, anomaly check, recommendations) for every store on its period
/// (15 or 60 minutes) with one recurring job, <see cref="JobId"/>, that runs every minute and enqueues the job of the
/// stores whose turn that minute is: store <c>id</c> at minute <c>(id + shift) mod period</c> of every period (UTC). So
/// Hangfire's scheduler creates one job a minute per kind whatever the number of stores, each minute brings a
/// <c>1/period</c> share of the stores (no burst at the top of the hour), nothing is registered per store at start, and
/// creating or deleting a store needs no job bookkeeping: each minute reads the stores as they are.
/// </summary>
/// <remarks>
/// The dispatcher's occurrence of a minute is created once, whichever instance's scheduler gets there first; it runs on
/// the critical queue so a backlog of store jobs never delays the next minute's share. A retried or re-run dispatch
/// enqueues its stores again, which the store jobs absorb: each is idempotent for its slot (rule runs) or computes the
/// store's current set (anomalies, recommendations).
/// </remarks>
public abstract class StoreJobDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider time, ILogger logger)
{
    public const string Cron = "* * * * *";

    /// <summary>The recurring job's id, e.g. <c>rules:dispatch</c>.</summary>
    public abstract string JobId { get; }

    /// <summary>How often each store's job runs, in minutes (divides 60).</summary>
    public abstract int PeriodMinutes { get; }

    /// <summary>Moves this kind's turns against another kind of the same period, so their shares fall in different minutes.</summary>
    protected virtual int TurnShift => 0;

    /// <summary>The id prefix of the per-store recurring jobs that earlier versions registered, removed at start.</summary>
    protected abstract string PerStoreJobPrefix { get; }

    /// <summary>The stores that need the job.</summary>
    protected abstract IQueryable<long> Stores(AdIntelDbContext db);

    /// <summary>Enqueues one store's job.</summary>
    protected abstract void Enqueue(IBackgroundJobClient client, long storeId);

    /// <summary>The minute of the period (0 … period − 1, UTC) in which a store's job is enqueued.</summary>
    public int TurnOf(long storeId) => (int)((storeId + TurnShift) % PeriodMinutes);

    /// <summary>Whose turn a minute is (the epoch began at a whole hour, so this is the UTC clock's minute of the period).</summary>
    public int TurnAt(DateTimeOffset minute) => (int)(minute.ToUnixTimeSeconds() / 60 % PeriodMinutes);

    /// <summary>
    /// The recurring job: the minute is the one Hangfire's scheduler created the occurrence in (its <c>Time</c> parameter,
    /// seconds into the minute), not the moment a worker took it, so a dispatch that waited still enqueues its own
    /// minute's stores.
    /// </summary>
    [AutomaticRetry(Attempts = 2)]
    public Task DispatchAsync(PerformContext? context, CancellationToken cancellationToken)
    {
        var scheduled = context?.GetJobParameter<long?>("Time", allowStale: true);
        return DispatchMinuteAsync(scheduled is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Enqueues the job of every store whose turn <paramref name="minute"/> is; returns how many.</summary>
    public async Task<int> DispatchMinuteAsync(DateTimeOffset minute, CancellationToken cancellationToken)
    {
        var stores = await StoresAtAsync(minute, cancellationToken);
        foreach (var storeId in stores)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Enqueue(jobs, storeId);
        }
        logger.LogDebug("{JobId}: {Count} store jobs enqueued for minute {Turn} of {Period}", JobId, stores.Count, TurnAt(minute), PeriodMinutes);
        return stores.Count;
    }

    /// <summary>The stores whose job is enqueued at <paramref name="minute"/>.</summary>
    public async Task<List<long>> StoresAtAsync(DateTimeOffset minute, CancellationToken cancellationToken)
    {
        var (turn, period, shift) = (TurnAt(minute), PeriodMinutes, TurnShift);
        await using var scope = scopes.CreateAsyncScope();
        return await Stores(scope.ServiceProvider.GetRequiredService<AdIntelDbContext>())
            .Where(id => (id + shift) % period == turn).OrderBy(id => id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Removes the per-store recurring jobs of this kind that earlier versions registered (one read of Hangfire's set of
    /// recurring jobs; none on a fresh or in-memory storage); returns how many.
    /// </summary>
    public int RemovePerStoreJobs(JobStorage storage, IRecurringJobManager recurring, CancellationToken cancellationToken)
    {
        List<string> perStore;
        using (var connection = storage.GetConnection())
        {
            perStore = connection.GetAllItemsFromSet("recurring-jobs").Where(id => id.StartsWith(PerStoreJobPrefix, StringComparison.Ordinal)).ToList();
        }
        foreach (var id in perStore)
        {
            cancellationToken.ThrowIfCancellationRequested();
            recurring.RemoveIfExists(id);
        }
        if (perStore.Count > 0)
        {
            logger.LogInformation("Removed {Count} per-store recurring jobs ({Prefix}…): {JobId} starts them now", perStore.Count, PerStoreJobPrefix, JobId);
        }
        return perStore.Count;
    }

    /// <summary>
    /// Registers a dispatcher (one recurring job, before the app serves) and then, in the background, removes the
    /// per-store recurring jobs of its kind left by earlier versions.
    /// </summary>
    internal sealed class Startup<TDispatcher>(TDispatcher dispatcher, IRecurringJobManager recurring, JobStorage storage, ILogger<TDispatcher> logger)
        : BackgroundService where TDispatcher : StoreJobDispatcher
    {
        public override Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<TDispatcher>(dispatcher.JobId, JobQueues.Critical, d => d.DispatchAsync(null, CancellationToken.None), Cron);
            return base.StartAsync(cancellationToken);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            try
            {
                dispatcher.RemovePerStoreJobs(storage, recurring, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Left-over per-store jobs only repeat work the store jobs absorb; the next start tries again.
                logger.LogError(ex, "Could not remove the per-store recurring jobs of {JobId}", dispatcher.JobId);
            }
        }
    }
}

public static class StoreJobDispatcherServiceCollectionExtensions
{
    /// <summary>Adds a dispatcher (the job Hangfire activates) and its registration at start.</summary>
    public static IServiceCollection AddStoreJobDispatcher<TDispatcher>(this IServiceCollection services) where TDispatcher : StoreJobDispatcher
    {
        services.AddSingleton<TDispatcher>();
        services.AddSingleton<StoreJobDispatcher>(sp => sp.GetRequiredService<TDispatcher>());
        services.AddHostedService<StoreJobDispatcher.Startup<TDispatcher>>();
        return services;
    }
}
