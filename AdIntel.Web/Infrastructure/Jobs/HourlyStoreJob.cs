using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>
/// One run of a store's hourly job (recommendations, anomalies): the work in the store's scope while the store exists.
/// A store that got its first data after the app started gets its hourly job here; a store deleted before or during
/// the run keeps none (checked again after the work). Runs of one kind for one store take turns under a lock every
/// instance respects (<see cref="DatabaseLocks"/>): the hourly run and one queued after a facts rebuild never overlap.
/// </summary>
public static class HourlyStoreJob
{
    /// <param name="kind">The lock the work runs under, per store.</param>
    /// <param name="ensure">Registers (or updates) the store's hourly job.</param>
    /// <param name="remove">Removes the store's hourly job.</param>
    /// <returns>What the work returned; null when the store no longer exists.</returns>
    public static async Task<T?> RunAsync<T>(IServiceScopeFactory scopes, long storeId, LockKind kind, Func<IServiceProvider, CancellationToken, Task<T>> work,
        Action<IServiceProvider, long> ensure, Action<IServiceProvider, long> remove, CancellationToken cancellationToken) where T : class
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            remove(services, storeId);
            return null;
        }
        T result;
        await using (await services.GetRequiredService<DatabaseLocks>().AcquireAsync(kind, storeId, cancellationToken))
        {
            result = await work(services, cancellationToken);
        }
        ensure(services, storeId);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            remove(services, storeId);
            return null;
        }
        return result;
    }
}
