using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>
/// One run of a store's hourly job (recommendations, anomalies): the work in the store's scope while the store exists
/// (a store deleted before the run is skipped). Runs of one kind for one store take turns under a lock every instance
/// respects (<see cref="DatabaseLocks"/>): the hourly run and one queued after a facts rebuild never overlap.
/// </summary>
public static class HourlyStoreJob
{
    /// <param name="kind">The lock the work runs under, per store.</param>
    /// <returns>What the work returned; null when the store no longer exists.</returns>
    public static async Task<T?> RunAsync<T>(IServiceScopeFactory scopes, long storeId, LockKind kind, Func<IServiceProvider, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken) where T : class
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            return null;
        }
        await using (await services.GetRequiredService<DatabaseLocks>().AcquireAsync(kind, storeId, cancellationToken))
        {
            return await work(services, cancellationToken);
        }
    }
}
