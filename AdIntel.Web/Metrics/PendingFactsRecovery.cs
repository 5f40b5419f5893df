using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// A stop without warning between committing orders or insights and rebuilding the daily facts leaves a
/// <see cref="Domain.PendingFactsChange"/> row behind; at start those stores' facts are rebuilt before the first request,
/// so the overview agrees with the data. The rebuild clears the rows.
/// </summary>
public sealed class PendingFactsRecovery(AdIntelDbContext db, IServiceScopeFactory scopes, ILogger<PendingFactsRecovery> logger)
{
    public async Task RebuildStaleStoresAsync(CancellationToken cancellationToken)
    {
        var staleStores = await db.PendingFactsChanges.IgnoreQueryFilters().Select(c => c.StoreId).Distinct().ToListAsync(cancellationToken);
        foreach (var storeId in staleStores)
        {
            await using var scope = scopes.CreateStoreScope(storeId);
            logger.LogWarning("The daily facts of store {StoreId} miss writes that were committed before a stop; rebuilding them", storeId);
            await scope.ServiceProvider.GetRequiredService<DailyFactsBuilder>().RebuildAsync(cancellationToken);
        }
    }
}
