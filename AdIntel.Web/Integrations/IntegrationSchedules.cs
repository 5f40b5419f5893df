using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Integrations.Shopify.Sync;
using AdIntel.Web.Infrastructure.Jobs;
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

    public void Ensure(long storeId) =>
        recurring.AddOrUpdate<IntegrationSyncJob>(JobId(storeId), j => j.RunStoreAsync(storeId, CancellationToken.None), options.Value.Cron()!);

    public void Remove(long storeId) => recurring.RemoveIfExists(JobId(storeId));

    /// <summary>Queues one sync of one provider now.</summary>
    public string SyncNow(long storeId, string provider) =>
        jobs.Create<IntegrationSyncJob>(j => j.RunProviderAsync(storeId, provider, CancellationToken.None), new EnqueuedState(JobQueues.Critical));

    /// <summary>Registers the recurring sync of every store with a connection once the app has started.</summary>
    internal sealed class Startup(IServiceScopeFactory scopes, ILogger<IntegrationSchedules> logger) : StoreJobsStartup(scopes, logger)
    {
        protected override string Jobs => "sync jobs";

        protected override Task<List<long>> StoresAsync(AdIntelDbContext db, CancellationToken cancellationToken) =>
            db.IntegrationConnections.IgnoreQueryFilters()
                .Where(c => c.Status != IntegrationStatuses.Disconnected).Select(c => c.StoreId).Distinct().ToListAsync(cancellationToken);

        protected override void Ensure(IServiceProvider services, long storeId) => services.GetRequiredService<IntegrationSchedules>().Ensure(storeId);
    }
}

/// <summary>The Hangfire job behind the schedules: syncs a store's Shopify (when connected) and then its Meta ad account.</summary>
public sealed class IntegrationSyncJob(MetaSync meta, ShopifySync shopify, IServiceScopeFactory scopes, ILogger<IntegrationSyncJob> logger)
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
        Exception? first = null;
        foreach (var provider in (string[])[IntegrationProviders.Shopify, IntegrationProviders.Meta])
        {
            try
            {
                await RunProviderAsync(storeId, provider, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One platform failing must not keep the other from syncing; the failure is on its SyncRun and connection.
                logger.LogWarning(ex, "{Provider} sync of store {StoreId} failed", provider, storeId);
                first ??= ex;
            }
        }
        if (first is not null)
        {
            throw new InvalidOperationException("A sync failed: " + first.Message, first);
        }
    }

    [AutomaticRetry(Attempts = 2)]
    public async Task RunProviderAsync(long storeId, string provider, CancellationToken cancellationToken)
    {
        switch (provider)
        {
            case IntegrationProviders.Meta:
                await meta.RunAsync(storeId, null, cancellationToken);
                break;
            case IntegrationProviders.Shopify:
                await RunShopifyAsync(storeId, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "shopify or meta");
        }
    }

    /// <summary>Incremental (a backfill until the first one completed), when the store has a usable Shopify connection.</summary>
    private async Task RunShopifyAsync(long storeId, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateStoreScope(storeId))
        {
            var connected = await scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().IntegrationConnections.AnyAsync(c =>
                c.Provider == IntegrationProviders.Shopify && (c.Status == IntegrationStatuses.Connected || c.Status == IntegrationStatuses.Error), cancellationToken);
            if (!connected)
            {
                return;
            }
        }
        await shopify.RunAsync(storeId, ShopifySyncKind.Incremental, cancellationToken);
    }
}
