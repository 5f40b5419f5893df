using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// Rebuilds a store's daily facts after webhooks changed its orders — after the webhook was answered, not before:
/// Shopify allows 5 s per delivery, and a large store's rebuild can take longer. Requests for one store coalesce: a
/// burst of order webhooks costs one rebuild (plus one more if orders changed while it ran). If the process stops before
/// a rebuild, the next sync's rebuild catches up.
/// </summary>
public sealed class ShopifyFactsRefresher(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider time,
    ILogger<ShopifyFactsRefresher> logger)
{
    /// <summary>How long a request waits for others to join it.</summary>
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(300);

    private const int Attempts = 3;

    private readonly Dictionary<long, Refresh> _stores = [];

    private sealed class Refresh
    {
        public bool Again;
        public Task Running = Task.CompletedTask;
    }

    /// <summary>Asks for a rebuild of the store's facts soon.</summary>
    public void Request(long storeId)
    {
        lock (_stores)
        {
            if (_stores.TryGetValue(storeId, out var pending))
            {
                pending.Again = true;
                return;
            }
            var refresh = new Refresh();
            _stores[storeId] = refresh;
            refresh.Running = Task.Run(() => RunAsync(storeId, refresh));
        }
    }

    /// <summary>Completes when no rebuild of the store is waiting or running (tests, and anyone who must read fresh facts).</summary>
    public Task IdleAsync(long storeId)
    {
        lock (_stores)
        {
            return _stores.TryGetValue(storeId, out var refresh) ? refresh.Running : Task.CompletedTask;
        }
    }

    private async Task RunAsync(long storeId, Refresh refresh)
    {
        var stopping = lifetime.ApplicationStopping;
        var failures = 0;
        try
        {
            while (true)
            {
                await Task.Delay(Coalescing, time, stopping);
                lock (_stores)
                {
                    refresh.Again = false;
                }
                try
                {
                    await RebuildAsync(storeId, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException && ++failures < Attempts)
                {
                    // E.g. a sync rebuilding the same store at the same moment; the next attempt sees its result.
                    logger.LogWarning(e, "Rebuilding the daily facts of store {StoreId} after webhooks failed; trying again", storeId);
                    refresh.Again = true;
                }
                lock (_stores)
                {
                    if (!refresh.Again)
                    {
                        _stores.Remove(storeId);
                        return;
                    }
                }
            }
        }
        catch (Exception e)
        {
            if (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not rebuild the daily facts of store {StoreId} after webhooks; the next sync will", storeId);
            }
            lock (_stores)
            {
                _stores.Remove(storeId);
            }
        }
    }

    private async Task RebuildAsync(long storeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        // shop/redact may have deleted the store since the request.
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            return;
        }
        await scope.ServiceProvider.GetRequiredService<DailyFactsBuilder>().RebuildAsync(cancellationToken);
    }
}
