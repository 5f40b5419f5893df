using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports;

/// <summary>
/// The current store's order ledger (every counted order with its COGS and refunds) for the cohort report and the LTV
/// model. Reading it is the expensive part of both (three scans of orders, lines and refunds), so it is cached per store
/// and reused while a fingerprint of the daily facts — rebuilt after every change of orders or refunds — stays the same.
/// The fingerprint comes from the database, so several app instances agree. The ledger is never changed after loading.
/// </summary>
public sealed class LedgerCache(AdIntelDbContext db, StoreContext storeContext, StoreCache cache)
{
    internal async Task<OrderLedger> GetAsync(CancellationToken cancellationToken)
    {
        var fingerprint = await db.DailyFacts.AsNoTracking()
            .GroupBy(f => 1)
            .Select(g => new Fingerprint(g.Count(), g.Sum(f => f.Orders), g.Sum(f => f.LineItemsWithCost), g.Sum(f => (double)f.GrossSales),
                g.Sum(f => (double)f.Returns), g.Sum(f => (double)f.Cogs), g.Sum(f => f.NewCustomers)))
            .SingleOrDefaultAsync(cancellationToken);
        return await cache.GetOrBuildAsync(new StoreCacheKey(nameof(LedgerCache), storeContext.RequiredStoreId), new LedgerVersion(fingerprint),
            (services, ct) => OrderLedger.LoadAsync(services.GetRequiredService<AdIntelDbContext>(), ct), TimeSpan.FromMinutes(20), cancellationToken);
    }

    private sealed record Fingerprint(int Days, int Orders, int LineItemsWithCost, double GrossSales, double Returns, double Cogs, int NewCustomers);

    /// <summary>A store without facts has no fingerprint; its (empty) ledger is cached all the same.</summary>
    private sealed record LedgerVersion(Fingerprint? Fingerprint);
}
