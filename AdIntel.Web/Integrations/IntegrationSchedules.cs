using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Integrations.Sync;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations;

/// <summary>
/// Each connected store's recurring sync (<c>integrations:store-{id}</c>, every <see cref="IntegrationsOptions.SyncIntervalMinutes"/>)
/// and the "sync now" of Settings → Integrations, both through Hangfire (in-memory by default, PostgreSQL at scale).
/// </summary>
public sealed class IntegrationSchedules(IRecurringJobManager recurring, IBackgroundJobClient jobs, IOptions<IntegrationsOptions> options)
{
    public static string JobId(long storeId) => $"integrations:store-{storeId}";

    public void Ensure(long storeId) => Wanted(storeId).Register(recurring);

    private WantedRecurringJob Wanted(long storeId)
    {
        var cron = options.Value.Cron(storeId)!;
        return new(JobId(storeId), cron, TimeZoneInfo.Utc,
            jobs => jobs.AddOrUpdate<IntegrationSyncJob>(JobId(storeId), j => j.RunStoreAsync(storeId, CancellationToken.None), cron));
    }

    public void Remove(long storeId) => recurring.RemoveIfExists(JobId(storeId));

    /// <summary>Queues the syncs of one provider's connection now.</summary>
    public string SyncNow(long storeId, string provider) =>
        jobs.Create<IntegrationSyncJob>(j => j.RunProviderAsync(storeId, provider, CancellationToken.None), new EnqueuedState(JobQueues.Critical));

    /// <summary>Queues one sync (by its <see cref="IIntegrationSync.Name"/>) now, without the others of its connection.</summary>
    public string RunNow(long storeId, string sync) =>
        jobs.Create<IntegrationSyncJob>(j => j.RunSyncAsync(storeId, sync, CancellationToken.None), new EnqueuedState(JobQueues.Critical));

    /// <summary>Registers the recurring sync of every store with a connection once the app has started.</summary>
    internal sealed class Startup(IServiceScopeFactory scopes, JobStorage storage, IRecurringJobManager recurring, ILogger<IntegrationSchedules> logger)
        : StoreJobsStartup(scopes, storage, recurring, logger)
    {
        protected override string Jobs => "sync jobs";

        protected override async Task<List<WantedRecurringJob>> WantedAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            var schedules = services.GetRequiredService<IntegrationSchedules>();
            var stores = await services.GetRequiredService<AdIntelDbContext>().IntegrationConnections.IgnoreQueryFilters()
                .Where(c => c.Status != IntegrationStatuses.Disconnected).Select(c => c.StoreId).Distinct().ToListAsync(cancellationToken);
            return stores.Select(schedules.Wanted).ToList();
        }
    }
}

/// <summary>
/// The Hangfire job behind the schedules and "Sync now": runs a store's registered syncs (<see cref="IIntegrationSync"/>,
/// in registration order: Shopify, then Meta), all of them or those of one provider's connection, through
/// <see cref="IntegrationSyncRunner"/>. One failing does not keep the others from running; the job fails afterwards.
/// </summary>
public sealed class IntegrationSyncJob(IntegrationSyncRunner runner, IServiceScopeFactory scopes, ILogger<IntegrationSyncJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunStoreAsync(long storeId, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
            {
                scope.ServiceProvider.GetRequiredService<IntegrationSchedules>().Remove(storeId);
                return;
            }
        }
        await RunAsync(storeId, runner.Names(), cancellationToken);
    }

    [AutomaticRetry(Attempts = 2)]
    public Task RunProviderAsync(long storeId, string provider, CancellationToken cancellationToken)
    {
        var names = runner.Names(provider);
        if (names.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(provider), provider, "No registered sync reads that provider's connection.");
        }
        return RunAsync(storeId, names, cancellationToken);
    }

    [AutomaticRetry(Attempts = 2)]
    public Task RunSyncAsync(long storeId, string sync, CancellationToken cancellationToken) => RunAsync(storeId, [sync], cancellationToken);

    private async Task RunAsync(long storeId, IReadOnlyList<string> syncs, CancellationToken cancellationToken)
    {
        Exception? first = null;
        foreach (var sync in syncs)
        {
            try
            {
                await runner.RunAsync(storeId, sync, SyncMode.Auto, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The failure is on the sync's run and its connection; the other syncs still run.
                logger.LogWarning(ex, "{Sync} sync of store {StoreId} failed", sync, storeId);
                first ??= ex;
            }
        }
        if (first is not null)
        {
            throw new InvalidOperationException("A sync failed: " + first.Message, first);
        }
    }
}
