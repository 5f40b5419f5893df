using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;

namespace AdIntel.Web.Metrics;

/// <summary>
/// The current store's LTV curve. Building it reads every order, so it is cached per store and reused while the
/// <see cref="FactsFingerprint"/> and the as-of day stay the same.
/// </summary>
public sealed class LtvCurveProvider(AdIntelDbContext db, StoreContext storeContext, StoreCache cache, ILtvPredictor? predictor = null)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(6);

    public Task<LtvCurve> GetAsync(DateOnly today, CancellationToken cancellationToken) => GetOrBuildAsync(today, null, cancellationToken);

    /// <summary>Builds and caches the curve from a ledger just read (by the facts builder), so the next overview need not read it again.</summary>
    internal Task WarmAsync(OrderLedger ledger, DateOnly today, CancellationToken cancellationToken) => GetOrBuildAsync(today, ledger, cancellationToken);

    private async Task<LtvCurve> GetOrBuildAsync(DateOnly today, OrderLedger? ledger, CancellationToken cancellationToken)
    {
        var fingerprint = await FactsFingerprint.ReadAsync(db, cancellationToken);
        if (fingerprint?.LastOrderDate is not { } lastOrderDate)
        {
            return await PredictOrInsufficientAsync(predictor, today, cancellationToken);
        }

        // Cohorts are "old enough" against the store's own data: an import that ends in the past must not make
        // its last customers look like they stopped buying.
        var asOf = lastOrderDate < today ? lastOrderDate : today;
        var key = new StoreCacheKey(nameof(LtvCurveProvider), storeContext.RequiredStoreId);
        var version = new CurveVersion(fingerprint, asOf);
        if (ledger is not null)
        {
            var curve = await BuildAsync(ledger, asOf, predictor, cancellationToken);
            cache.Set(key, version, curve, KeptFor);
            return curve;
        }
        return await cache.GetOrBuildAsync(key, version, async (services, ct) =>
            await BuildAsync(await OrderLedger.LoadAsync(services.GetRequiredService<AdIntelDbContext>(), ct), asOf, services.GetService<ILtvPredictor>(), ct),
            KeptFor, cancellationToken);
    }

    private static async Task<LtvCurve> BuildAsync(OrderLedger ledger, DateOnly asOf, ILtvPredictor? predictor, CancellationToken cancellationToken)
    {
        var orders = ledger.Orders.Values.Where(o => o.CustomerId is not null)
            .Select(o => new CustomerProfit(o.CustomerId!.Value, o.LocalDate, o.GrossSales - o.Discounts - o.Cogs));
        var refunds = ledger.Refunds.Where(r => r.Order.CustomerId is not null)
            .Select(r => new CustomerProfit(r.Order.CustomerId!.Value, r.LocalDate, r.Amount));
        var curve = LtvCurve.Observe(orders, refunds, asOf);
        return curve.Basis == LtvBasis.InsufficientHistory ? await PredictOrInsufficientAsync(predictor, asOf, cancellationToken) : curve;
    }

    private static async Task<LtvCurve> PredictOrInsufficientAsync(ILtvPredictor? predictor, DateOnly asOf, CancellationToken cancellationToken) =>
        predictor is null ? LtvCurve.InsufficientHistory : await predictor.PredictAsync(asOf, cancellationToken) ?? LtvCurve.InsufficientHistory;

    private sealed record CurveVersion(FactsFingerprint Fingerprint, DateOnly AsOf);
}
