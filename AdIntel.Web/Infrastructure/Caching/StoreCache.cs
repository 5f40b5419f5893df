using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.Extensions.Caching.Memory;

namespace AdIntel.Web.Infrastructure.Caching;

/// <summary>Names one cached value of one store; <paramref name="Variant"/> tells apart values of one cache (e.g. per calibration end).</summary>
public sealed record StoreCacheKey(string Cache, long StoreId, object? Variant = null);

/// <summary>
/// Per-store values that are expensive to build (the order ledger, the LTV curve, fitted models), kept with the
/// version of the data they were built from (a cheap fingerprint the caller reads). A missing or outdated value is
/// built once per key and version while concurrent requests wait for that build: after a restart, twenty requests on a
/// cold store otherwise each read every order at once (p99 15 s). The build runs in a scope of its own acting for the
/// store, on the app's stopping token, so a request that gives up stops waiting without cancelling the build the
/// others wait for; a failed build is not kept, and the next request tries again.
/// </summary>
public sealed class StoreCache(IMemoryCache cache, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IMeterFactory meters)
{
    public const string MeterName = "AdIntel.Web.Caches";
    public const string FillsInstrument = "adintel.cache.fills";

    private readonly Counter<long> _fills = meters.Create(MeterName)
        .CreateCounter<long>(FillsInstrument, description: "Values built for a per-store cache, by cache");

    private readonly ConcurrentDictionary<(StoreCacheKey Key, object Version), Lazy<Task<object>>> _building = new();

    public async Task<T> GetOrBuildAsync<T>(StoreCacheKey key, object version, Func<IServiceProvider, CancellationToken, Task<T>> build,
        TimeSpan slidingExpiration, CancellationToken cancellationToken) where T : class
    {
        if (TryGet(key, version, out T? cached))
        {
            return cached;
        }
        var building = _building.GetOrAdd((key, version),
            flight => new Lazy<Task<object>>(() => Task.Run(() => BuildAsync(flight, build, slidingExpiration))));
        return (T)await building.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Stores a value built elsewhere (e.g. the curve the facts rebuild computes from the ledger it has in hand).</summary>
    public void Set<T>(StoreCacheKey key, object version, T value, TimeSpan slidingExpiration) where T : class =>
        cache.Set(key, new Entry(version, value), new MemoryCacheEntryOptions { SlidingExpiration = slidingExpiration });

    private bool TryGet<T>(StoreCacheKey key, object version, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value) where T : class
    {
        value = cache.TryGetValue(key, out Entry? entry) && Equals(entry!.Version, version) ? (T)entry.Value : null;
        return value is not null;
    }

    private async Task<object> BuildAsync<T>((StoreCacheKey Key, object Version) flight, Func<IServiceProvider, CancellationToken, Task<T>> build,
        TimeSpan slidingExpiration) where T : class
    {
        try
        {
            // Another flight may have stored it between the caller's miss and this one's start.
            if (TryGet(flight.Key, flight.Version, out T? cached))
            {
                return cached;
            }
            await using var scope = scopes.CreateStoreScope(flight.Key.StoreId);
            var value = await build(scope.ServiceProvider, lifetime.ApplicationStopping);
            _fills.Add(1, new KeyValuePair<string, object?>("cache", flight.Key.Cache));
            Set(flight.Key, flight.Version, value, slidingExpiration);
            return value;
        }
        finally
        {
            _building.TryRemove(flight, out _);
        }
    }

    private sealed record Entry(object Version, object Value);
}
